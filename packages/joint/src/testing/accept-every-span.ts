import * as tf from '@tensorflow/tfjs-core';
import type { JointModel } from '../model/joint-model.js';

/**
 * Rigs the entity classifier so that `none` never wins: its `none` bias -30
 * (the two-phase classifier: phase one's `entity` bias +30), weights kept, so
 * the spans still get different scores.
 */
export function acceptEverySpan(model: JointModel): void {
  const classes = model.entityClassifier.outputDim;
  let rigged = 0;
  for (const [name, v] of model.entityClassifier.parameters()) {
    if (v.rank !== 1 || !name.endsWith('bias')) continue;
    if (name.startsWith('binary.') && v.shape[0] === 2) v.assign(tf.tensor1d([-30, 30]));
    else if (v.shape[0] === classes) v.assign(tf.tensor1d([-30, ...new Array(classes - 1).fill(0)]));
    else continue;
    rigged += 1;
  }
  if (rigged === 0) throw new Error(`acceptEverySpan: no output bias found in ${model.entityClassifier.name}`);
}
