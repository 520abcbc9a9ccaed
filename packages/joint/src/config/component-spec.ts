/**
 * A model component named by its registry name plus a plain-JSON config, as
 * saved models store it (`registry.build(name, config)` rebuilds it).
 */
export interface ComponentSpec {
  /** Registry name, versioned: `"spert-span-head.v1"`. */
  name: string;
  /** The component's config; dimensions that follow from other components (`inputDim`, `numTypes`, ...) are filled in when the model is built. */
  config: Record<string, unknown>;
}
