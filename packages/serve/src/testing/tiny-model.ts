/**
 * Test support (not exported): a tiny SpERT-style model saved to a folder in
 * about a second. It is untrained; its weights are nudged off their
 * initialisation (seeded) so that it predicts entities and relations for the
 * tests to compare, as a trained model would.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Document, TypeSchema } from '@spanrel/datasets';
import { buildModel, resolveSpec, saveModel } from '@spanrel/joint';

export const TINY_SCHEMA: TypeSchema = {
  entities: [
    { name: 'Person', short: 'Per', verbose: 'Person' },
    { name: 'Location', short: 'Loc', verbose: 'Location' },
  ],
  relations: [
    { name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false },
    { name: 'Sibling_Of', short: 'Sib', verbose: 'Sibling of', symmetric: true },
  ],
};

/** The vocabulary the model is built on (its unknown words still get character features). */
export const TINY_DOCS: Document[] = [
  { id: '0', tokens: ['Ada', 'Brandt', 'lives', 'in', 'Oslo', '.'], entities: [{ type: 'Person', start: 0, end: 2 }, { type: 'Location', start: 4, end: 5 }], relations: [{ type: 'Live_In', head: 0, tail: 1 }] },
  { id: '1', tokens: ['Hugo', 'and', 'his', 'sister', 'Kira', 'met', 'in', 'Porto', '.'], entities: [{ type: 'Person', start: 0, end: 1 }, { type: 'Person', start: 4, end: 5 }, { type: 'Location', start: 7, end: 8 }], relations: [{ type: 'Sibling_Of', head: 0, tail: 1 }] },
  { id: '2', tokens: ['Prices', 'rose', 'in', 'San', 'Marino', '.'], entities: [{ type: 'Location', start: 3, end: 5 }], relations: [] },
];

/** Builds, nudges and saves the tiny model to `dir/model`; returns that folder. The tfjs backend must be started. */
export async function saveTinyModel(dir: string): Promise<string> {
  const spec = resolveSpec('spert', {
    overrides: {
      seed: 5,
      encoder: {
        config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 },
        vocabulary: { lowercase: true, minCount: 1 },
      },
      spanHead: { config: { widthDim: 4 } },
      maxSpanWidth: 4,
      decodeBatchSize: 4,
    },
  });
  const model = await buildModel(spec, TINY_SCHEMA, TINY_DOCS);
  let seed = 100;
  for (const v of model.parameters().values()) tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed++))));
  const folder = join(dir, 'model');
  mkdirSync(folder, { recursive: true });
  await saveModel(model, folder);
  model.dispose();
  return folder;
}
