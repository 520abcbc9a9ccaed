import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../module/registry.js';
import { checkVariableGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { Embedding } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Embedding ("embedding.v1")', () => {
  const ids = tf.tensor2d([[1, 0, 3, 3], [2, 4, 0, 1]], undefined, 'int32'); // [B, T]

  it('is built through the registry and looks up rows; the padding row gives 0', () => {
    const emb = registry.build<Embedding>('embedding.v1', { numEmbeddings: 5, dim: 3, paddingIndex: 0, init: 'normal', initStd: 1, seed: 2 });
    expect([emb.inputDim, emb.outputDim]).toEqual([5, 3]);
    const table = emb.weight.arraySync() as number[][];
    expect(table[0].every((v) => v === 0)).toBe(true); // initialised to 0
    emb.weight.assign(randomTensor([5, 3], 9)); // even a non-zero padding row must give 0
    const rows = emb.weight.arraySync() as number[][];
    const out = tf.tidy(() => emb.apply(ids).arraySync()) as number[][][];
    (ids.arraySync() as number[][]).forEach((row, b) => row.forEach((id, t) => expect(out[b][t].map((v) => v + 0)).toEqual(id === 0 ? [0, 0, 0] : rows[id]) /* + 0 turns -0 into 0 */));
    emb.dispose();
  });

  it('sends no gradient to the padding row; other rows get the sum of their uses', () => {
    const emb = new Embedding({ numEmbeddings: 5, dim: 3, paddingIndex: 0 });
    const { grads } = tf.variableGrads(() => tf.sum(emb.apply(ids)) as tf.Scalar, [emb.weight]);
    const g = grads[emb.weight.name].arraySync() as number[][];
    const uses = [0, 2, 1, 2, 1]; // how often each id occurs (id 0 is padding)
    g.forEach((row, id) => expect(row).toEqual(new Array(3).fill(id === 0 ? 0 : uses[id])));
    tf.dispose(grads);
    checkVariableGradients(() => emb.apply(ids), [emb.weight]);
    emb.dispose();
  });

  it('holds a frozen pretrained matrix; config rebuilds a same-shaped table', () => {
    const matrix = randomTensor([4, 2], 3) as tf.Tensor2D;
    const emb = Embedding.fromPretrained(matrix);
    expect(emb.weight.trainable).toBe(false);
    expect(emb.weight.arraySync()).toEqual(matrix.arraySync());
    const config = emb.config();
    expect(config).toMatchObject({ numEmbeddings: 4, dim: 2, trainable: false, paddingIndex: null });
    const twin = registry.build<Embedding>('embedding.v1', JSON.parse(JSON.stringify(config)));
    expect(twin.weight.shape).toEqual([4, 2]);
    expect(twin.weight.trainable).toBe(false);
    [emb, twin].forEach((m) => m.dispose());
    matrix.dispose();
  });

  it('reproduces its init from the seed and rejects bad input', () => {
    const a = new Embedding({ numEmbeddings: 6, dim: 2, seed: 5 });
    const b = registry.build<Embedding>('embedding.v1', a.config());
    expect(b.weight.arraySync()).toEqual(a.weight.arraySync());
    expect(() => a.apply(tf.zeros([2, 2]))).toThrow(/embedding.v1: ids must be int32/);
    expect(() => new Embedding({ numEmbeddings: 6, dim: 2, paddingIndex: 6 })).toThrow(/config.paddingIndex/);
    [a, b].forEach((m) => m.dispose());
  });

  it('leaks no tensors', () => {
    const emb = new Embedding({ numEmbeddings: 5, dim: 3, paddingIndex: 0 });
    expectNoLeak(() => emb.apply(ids));
    emb.dispose();
  });
});
