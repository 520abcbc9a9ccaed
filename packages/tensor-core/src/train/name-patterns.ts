/**
 * Parameter-name patterns, e.g. the names excluded from weight decay. A string
 * matches when it occurs anywhere in the name (as SpERT / BERT's
 * `any(nd in n for nd in no_decay)`); a RegExp matches when `test` succeeds.
 */
export type NamePattern = string | RegExp;

/**
 * Names excluded from weight decay by default: biases and layer-norm gains in the
 * spellings Hugging Face BERT (`LayerNorm.weight`) and spanrel modules use.
 */
export const DEFAULT_NO_DECAY: readonly string[] = ['bias', 'LayerNorm', 'layerNorm', 'layer_norm', 'layer-norm'];

/** True when `name` matches at least one pattern. */
export function matchesAnyPattern(name: string, patterns: readonly NamePattern[]): boolean {
  return patterns.some((p) => {
    if (typeof p === 'string') return name.includes(p);
    p.lastIndex = 0; // a /g or /y RegExp keeps state between calls
    return p.test(name);
  });
}
