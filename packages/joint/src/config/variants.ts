import type { JointSpec } from './joint-spec.js';
import { PRESET_NAMES, type PresetName } from './presets.js';
import { mergeSpec, resolveSpec } from './resolve-spec.js';

/**
 * A named model variant: a preset with a few component config fields set, so
 * that every ablation and attention variant of the papers can be trained by
 * name (`pnpm bench:train --presets ji2020/-local`, `spanrel compare --presets
 * stsn/layers=2`). The spec of a variant keeps `preset` = the preset's name.
 */
export interface Variant {
  /** The variant's name: the preset's name, or `<preset>/<change>`. */
  name: string;
  preset: PresetName;
  /** Laid over the preset before any user overrides (see {@link variantSpec}). */
  overrides: Record<string, unknown>;
  /** One line: what changes and where the paper reports it. */
  description: string;
}

/** The four attention variants of Ji 2020 (Table 1); "multi-head" is the preset's. */
const JI2020_ATTENTIONS = ['additive', 'dot-product', 'general'] as const;

/** Table 3 of STSN ablates the number of stacked attention layers from 1 to 6 (the preset has 4). */
const STSN_LAYERS = [1, 2, 3, 4, 5, 6] as const;

const PRESET_DESCRIPTIONS: Record<PresetName, string> = {
  spert: 'SpERT (Eberts & Ulges 2019) as the preset has it',
  dixit: 'Dixit & Al-Onaizan 2019 as the preset has it',
  ji2020: 'Ji et al. 2020, the full model (multi-head attention in both heads)',
  twophase: 'the two-phase span model, the full model',
  stsn: 'STSN, the full model (4 attention layers)',
};

function variantTable(): Variant[] {
  const out: Variant[] = PRESET_NAMES.map((p) => ({ name: p, preset: p, overrides: {}, description: PRESET_DESCRIPTIONS[p] }));
  const add = (name: string, preset: PresetName, overrides: Record<string, unknown>, description: string) => out.push({ name, preset, overrides, description });

  for (const attention of JI2020_ATTENTIONS) {
    add(`ji2020/${attention}`, 'ji2020', { spanHead: { config: { attention } }, relationHead: { config: { attention } } }, `Ji 2020 with ${attention} attention in the span and relation heads (Table 1)`);
  }
  add('ji2020/-SpanSpecific', 'ji2020', { spanHead: { config: { spanSpecific: false } } }, 'Ji 2020 without the span-specific attention: [F_s; H_s] becomes the max-pool (Table 3, spanHead.config.spanSpecific)');
  add('ji2020/-SentenceLevel-span', 'ji2020', { spanHead: { config: { sentenceLevel: false } } }, 'Ji 2020 without sentence-level attention in the span: T_s becomes [CLS] (Table 3, spanHead.config.sentenceLevel)');
  add('ji2020/-local', 'ji2020', { relationHead: { config: { local: false } } }, 'Ji 2020 without local relation context attention: F_r becomes the max-pool (Table 4, relationHead.config.local)');
  add('ji2020/-SentenceLevel-relation', 'ji2020', { relationHead: { config: { sentenceLevel: false } } }, 'Ji 2020 without sentence-level relation context: FFNN_T(T_r) leaves R_r (Table 4, relationHead.config.sentenceLevel)');

  add('twophase/-TwoPhase', 'twophase', { entityClassifier: { config: { twoPhase: false } }, relationHead: { config: { twoPhase: false } } }, 'two-phase without the two phases: one softmax over none + types for entities and relations (Table 7, twoPhase)');
  add('twophase/-BiFeatures', 'twophase', { relationHead: { config: { biFeatures: false } } }, 'two-phase without the distance embedding of phase one (Table 7, relationHead.config.biFeatures)');
  add('twophase/-MultiFeatures', 'twophase', { relationHead: { config: { multiFeatures: false } } }, 'two-phase without the type x type x distance embedding of phase two (Table 7, relationHead.config.multiFeatures)');
  add('twophase/-gated', 'twophase', { spanHead: { config: { gated: false } }, relationHead: { config: { gated: false } } }, 'two-phase with concatenation instead of gated fusion in the span and relation heads (Table 7, gated)');

  for (const n of STSN_LAYERS) {
    add(`stsn/layers=${n}`, 'stsn', { tokenInteraction: { config: { numLayers: n } } }, `STSN with ${n} stacked attention layer${n === 1 ? '' : 's'} (Table 3, tokenInteraction.config.numLayers${n === 4 ? '; the preset\'s own' : ''})`);
  }
  add('stsn/-LabelEmbedding', 'stsn', { tagger: { config: { labelEmbedding: false } } }, 'STSN without label embeddings: the decoders read the views alone (Table 4, tagger.config.labelEmbedding)');
  add('stsn/-E&R-L-A', 'stsn', { tokenInteraction: { config: { erla: false } } }, 'STSN whose E&R-L-A takes H_L as query, key and value (Table 4, tokenInteraction.config.erla)');
  add('stsn/-AttentionLayer', 'stsn', { tokenInteraction: { config: { attentionLayers: false } } }, 'STSN without stacked attention layers: the three projections are the views (Table 4, tokenInteraction.config.attentionLayers)');
  return out;
}

const VARIANTS: readonly Variant[] = variantTable();
const BY_NAME = new Map(VARIANTS.map((v) => [v.name, v]));

/** Every variant's name: the presets first, then `<preset>/<change>` by preset. */
export const VARIANT_NAMES: readonly string[] = VARIANTS.map((v) => v.name);

/** Edit distance (insertions, deletions, substitutions), case-insensitive: for "did you mean". */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[t.length];
}

/** The known name closest to `name` (first of the ties). */
function closestName(name: string): string {
  let best = VARIANT_NAMES[0];
  let bestDistance = Infinity;
  for (const known of VARIANT_NAMES) {
    const d = editDistance(name, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

/** A variant by name (a fresh copy); throws naming the closest known name and listing them all. */
export function resolveVariant(name: string): Variant {
  const variant = BY_NAME.get(name);
  if (!variant) throw new Error(`unknown model variant "${name}" (did you mean "${closestName(name)}"?); known: ${VARIANT_NAMES.join(', ')}`);
  return structuredClone(variant);
}

/** Options of {@link variantSpec}: those of `resolveSpec`, with `overrides` laid over the variant's. */
export interface VariantSpecOptions {
  /** User overrides (a `--config` file), laid over the variant's own. */
  overrides?: Record<string, unknown>;
  /** Encoder short form (`"bilstm"`, `"bert:<model>"`). */
  encoder?: string;
  /** Named in error messages; default `variant <name>`. */
  source?: string;
}

/**
 * The checked spec of a variant: its preset, the encoder short form, the
 * variant's overrides, then the user's (which win).
 *
 * ```ts
 * const spec = variantSpec('ji2020/-local', { overrides: { training: { epochs: 3 } } });
 * spec.preset;                               // "ji2020"
 * spec.relationHead.config.local;            // false
 * ```
 */
export function variantSpec(name: string, options: VariantSpecOptions = {}): JointSpec {
  const variant = resolveVariant(name);
  return resolveSpec(variant.preset, {
    overrides: mergeSpec(variant.overrides, options.overrides ?? {}) as Record<string, unknown>,
    encoder: options.encoder,
    source: options.source ?? `variant ${name}`,
  });
}

/**
 * A folder name for a variant (or any variant-like label such as
 * `ji2020/-local+glove`): `/` becomes `__`, and any character other than
 * letters, digits and `. _ - + =` becomes `-` (so `stsn/-E&R-L-A` →
 * `stsn__-E-R-L-A`). A plain preset name is unchanged.
 */
export function variantFolderName(name: string): string {
  return name.replaceAll('/', '__').replace(/[^A-Za-z0-9._+=-]/g, '-');
}
