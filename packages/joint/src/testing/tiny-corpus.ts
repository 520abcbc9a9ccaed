/**
 * Test support (not exported from the package): a tiny synthetic corpus with a
 * symmetric relation type, and tiny-dimension overrides of the presets so that
 * training runs in seconds on the cpu backend.
 */
import { createRng, type Document, type TypeSchema } from '@spanrel/datasets';
import { mergeSpec, resolveSpec } from '../config/resolve-spec.js';
import type { JointSpec } from '../config/joint-spec.js';
import type { PresetName } from '../config/presets.js';

export const TINY_SCHEMA: TypeSchema = {
  entities: [
    { name: 'Person', short: 'Per', verbose: 'Person' },
    { name: 'Organization', short: 'Org', verbose: 'Organization' },
    { name: 'Location', short: 'Loc', verbose: 'Location' },
  ],
  relations: [
    { name: 'Work_For', short: 'Work', verbose: 'Work for', symmetric: false },
    { name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false },
    { name: 'Sibling_Of', short: 'Sib', verbose: 'Sibling of', symmetric: true },
  ],
};

const PEOPLE = [['Ada', 'Brandt'], ['Boris', 'Costa'], ['Elena'], ['Hugo', 'Novak'], ['Kira']];
const ORGS = [['Kestrel', 'Labs'], ['Northwind', 'Bank'], ['Quantum']];
const PLACES = [['Oslo'], ['San', 'Marino'], ['Porto']];

/** `n` sentences from four templates (work for, live in, siblings, none), seeded. */
export function tinyCorpus(n: number, seed = 3): Document[] {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]) => items[rng.int(items.length)];
  const docs: Document[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    const tokens: string[] = [];
    const entities: Document['entities'] = [];
    const add = (words: string[], type?: string) => {
      if (type) entities.push({ type, start: tokens.length, end: tokens.length + words.length });
      tokens.push(...words);
    };
    const relations: Document['relations'] = [];
    if (kind === 0) {
      add(pick(PEOPLE), 'Person');
      add(['works', 'for']);
      add(pick(ORGS), 'Organization');
      add(['.']);
      relations.push({ type: 'Work_For', head: 0, tail: 1 });
    } else if (kind === 1) {
      add(pick(PEOPLE), 'Person');
      add(['lives', 'in']);
      add(pick(PLACES), 'Location');
      add(['.']);
      relations.push({ type: 'Live_In', head: 0, tail: 1 });
    } else if (kind === 2) {
      add(pick(PEOPLE), 'Person');
      add(['and', 'her', 'brother']);
      add(pick(PEOPLE), 'Person');
      add(['met', 'in']);
      add(pick(PLACES), 'Location');
      add(['.']);
      relations.push({ type: 'Sibling_Of', head: 0, tail: 1 });
    } else {
      add(['Prices', 'rose', 'in']);
      add(pick(PLACES), 'Location');
      add(['.']);
    }
    docs.push({ id: `tiny-${i}`, tokens, entities, relations });
  }
  return docs;
}

/** Overrides that shrink a preset to a few thousand parameters (dropout kept unless `dropout: false`). */
export function tinyOverrides(presetName: PresetName, options: { dropout?: boolean } = {}): Record<string, unknown> {
  const drop = options.dropout ?? true;
  const rate = (r: number) => (drop ? r : 0);
  const heads: Record<PresetName, Record<string, unknown>> = {
    spert: {
      spanHead: { config: { widthDim: 4 } },
      entityClassifier: { config: { dropout: rate(0.1) } },
      relationHead: { config: { dropout: rate(0.1) } },
    },
    dixit: {
      spanHead: { config: { widthDim: 4, attentionHiddenDims: [8], attentionDropout: rate(0.2), widthDropout: rate(0.2) } },
      entityClassifier: { config: { hiddenDims: [16], dropout: rate(0.2) } },
      relationHead: { config: { hiddenDims: [16], dropout: rate(0.2) } },
    },
    // Encoder states are 16-dim (2 x 8): 2 attention heads of 8; the relation FFNNs keep their D-relative defaults.
    ji2020: {
      spanHead: { config: { widthDim: 4, numHeads: 2, spanAttentionHiddenDims: [8], dropout: rate(0.2) } },
      entityClassifier: { config: { hiddenDims: [16], dropout: rate(0.2) } },
      relationHead: { config: { numHeads: 2, dropout: rate(0.2) } },
    },
    // The width and feature embeddings follow D (16) by default, as in the paper.
    twophase: {
      entityClassifier: { config: { dropout: rate(0.1) } },
      relationHead: { config: { dropout: rate(0.1) } },
    },
    // Views of 16 (the encoder's): one attention layer of 2 heads, label and width embeddings of 4.
    stsn: {
      tokenInteraction: { config: { numLayers: 1, numHeads: 2, dropout: rate(0.1) } },
      tagger: { config: { labelDim: 4 } },
      spanHead: { config: { widthDim: 4 } },
      entityClassifier: { config: { dropout: rate(0.1) } },
      relationHead: { config: { dropout: rate(0.1) } },
    },
  };
  const training: Record<PresetName, Record<string, unknown>> = {
    spert: { batchSize: 4, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 1e-2 } } },
    dixit: { batchSize: 2, optimizer: { lr: { lr: 1e-2 } }, sampling: { maxSelectedSpans: 10 } },
    ji2020: { batchSize: 4, optimizer: { lr: { peakLr: 1e-2 } } },
    twophase: { batchSize: 4, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 1e-2 } } },
    stsn: { batchSize: 4, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 1e-2 } } },
  };
  return {
    seed: 5,
    encoder: {
      config: {
        wordEmbedding: { mode: 'trained', dim: 8 },
        charDim: 4,
        charFilterWidths: [2, 3],
        charFiltersPerWidth: 4,
        lstmHiddenDim: 8,
        lstmLayers: 1,
        embeddingDropout: rate(0.2),
        lstmDropout: rate(0.2),
      },
      vocabulary: { lowercase: true, minCount: 1 },
    },
    ...heads[presetName],
    decodeBatchSize: 4,
    training: { epochs: 2, ...training[presetName], checkpointEverySteps: 2, checkpointEverySeconds: null },
  };
}

/** A preset shrunk by {@link tinyOverrides}, with further overrides on top. */
export function tinySpec(presetName: PresetName, extra: Record<string, unknown> = {}, options: { dropout?: boolean } = {}): JointSpec {
  return resolveSpec(presetName, { overrides: mergeSpec(tinyOverrides(presetName, options), extra) as Record<string, unknown> });
}
