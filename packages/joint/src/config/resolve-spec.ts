import type { JointSpec } from './joint-spec.js';
import { preset, withEncoder } from './presets.js';
import { checkSpec } from './check-spec.js';

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `base` with `override` laid over it: objects merge key by key, anything else
 * (numbers, strings, arrays, null) replaces. A component (`{name, config}`) whose
 * override names another registry entry takes the override's config alone, since
 * the old component's fields mean nothing to the new one.
 */
export function mergeSpec(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  const renamed = typeof override.name === 'string' && typeof base.name === 'string' && override.name !== base.name;
  const out: Json = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    out[key] = renamed && key === 'config' ? structuredClone(value) : key in out ? mergeSpec(out[key], value) : structuredClone(value);
  }
  return out;
}

/** Options of {@link resolveSpec}. */
export interface ResolveSpecOptions {
  /** Overrides laid over the preset, e.g. a parsed `--config` file. May name another `preset`, and an `encoder` as the short form `"bert:<model>"`. */
  overrides?: Record<string, unknown>;
  /** Encoder short form (`"bilstm"`, `"bert:<model>"`), applied after the preset and before the overrides. */
  encoder?: string;
  /** Named in error messages (the config file path). */
  source?: string;
}

/**
 * The spec of a run: the preset `presetName` (or the one the overrides name),
 * with the encoder short form, then the overrides, then checked field by field
 * (errors name `source` and the field).
 *
 * ```ts
 * const spec = resolveSpec('dixit', { overrides: { training: { epochs: 3 } } });
 * ```
 */
export function resolveSpec(presetName: string | undefined, options: ResolveSpecOptions = {}): JointSpec {
  const source = options.source ?? 'config';
  const overrides = { ...(options.overrides ?? {}) };
  if (!isPlainObject(overrides)) throw new Error(`${source}: the config must be a JSON object`);
  const name = typeof overrides.preset === 'string' ? overrides.preset : presetName;
  if (!name) throw new Error(`${source}: no preset given (pass one, or set "preset" in the config)`);
  if (presetName && typeof overrides.preset === 'string' && overrides.preset !== presetName) {
    throw new Error(`${source}: "preset" is "${overrides.preset}" but the preset asked for is "${presetName}"`);
  }
  let spec = preset(name);
  if (options.encoder) spec = withEncoder(spec, options.encoder);
  if (typeof overrides.encoder === 'string') {
    spec = withEncoder(spec, overrides.encoder);
    delete overrides.encoder;
  }
  const merged = mergeSpec(spec, overrides);
  checkSpec(merged, source);
  return merged;
}
