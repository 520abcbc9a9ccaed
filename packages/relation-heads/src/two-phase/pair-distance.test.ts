import * as tf from '@tensorflow/tfjs-core';
import { Embedding, expectNoLeak, initBackend } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { naiveBetween } from '../test-support.js';
import { pairDistance, typeDistanceIds } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// Sentence 0 has spans far apart (13 and 11 words between), overlapping and adjacent ones.
const spanLists: [number, number][][] = [
  [[0, 1], [14, 16], [2, 4], [3, 5], [5, 6], [16, 18]],
  [[0, 2], [2, 3], [4, 6], [0, 0], [0, 0], [0, 0]], // padded with (0, 0)
];
const pairLists: [number, number][][] = [
  [[0, 1], [1, 0], [0, 5], [2, 3], [2, 4], [4, 2], [0, 2], [3, 4], [5, 1]],
  [[0, 1], [0, 2], [2, 0], [1, 2], [3, 3], [0, 0], [1, 0], [2, 1], [0, 2]],
];
const labelLists = [
  [1, 3, 2, 1, 2, 3],
  [2, 1, 3, 0, 0, 0],
];

/** Words between the two spans of a pair, clipped: the paper's entity distance (naiveBetween shares no code with pairDistance). */
const naiveDistance = (b: number, [i, j]: [number, number], maxDistance: number): number => Math.min(naiveBetween(spanLists[b][i], spanLists[b][j]).length, maxDistance);

describe('pairDistance', () => {
  it('counts the words strictly between the two spans, 0 when they touch or overlap, clipped to maxDistance', () => {
    const spans = tf.tensor3d(spanLists, undefined, 'int32');
    const pairs = tf.tensor3d(pairLists, undefined, 'int32');
    for (const maxDistance of [10, 3, 0]) {
      const distance = tf.tidy(() => pairDistance(spans, pairs, maxDistance).arraySync());
      expect(distance).toEqual(pairLists.map((list, b) => list.map((pair) => naiveDistance(b, pair, maxDistance))));
    }
    const unclipped = pairLists.map((list, b) => list.map((pair) => naiveBetween(spanLists[b][pair[0]], spanLists[b][pair[1]]).length));
    expect(unclipped[0].slice(0, 3)).toEqual([13, 13, 15]); // the case the clipping at 10 is about
    expect(tf.tidy(() => pairDistance(spans, pairs, 10).arraySync())[0].slice(0, 3)).toEqual([10, 10, 10]);
    expectNoLeak(() => pairDistance(spans, pairs, 10));
    const floatPairs = tf.zeros([2, 1, 2]) as tf.Tensor3D;
    expect(() => pairDistance(spans, floatPairs, 10)).toThrow(/pairs must be int32/);
    tf.dispose([spans, pairs, floatPairs]);
  });
});

describe('typeDistanceIds', () => {
  it('selects the (type1, type2, distance) row that a naive table lookup finds', () => {
    const numEntityTypes = 3;
    const maxDistance = 10;
    const spans = tf.tensor3d(spanLists, undefined, 'int32');
    const pairs = tf.tensor3d(pairLists, undefined, 'int32');
    const labels = tf.tensor2d(labelLists, undefined, 'int32');
    // A naive table: one vector per (c1, c2, d), addressed by nested arrays rather than by the flat index formula.
    const naiveTable = Array.from({ length: numEntityTypes + 1 }, (_, c1) =>
      Array.from({ length: numEntityTypes + 1 }, (_, c2) => Array.from({ length: maxDistance + 1 }, (_, d) => [c1, c2, d, c1 * 100 + c2 * 10 + d * 0.5])),
    );
    const flat = tf.tensor2d(naiveTable.flat(2)); // [(E + 1)² (Δ + 1), 4]
    const table = Embedding.fromPretrained(flat);
    const rows = tf.tidy(() => table.apply(typeDistanceIds(labels, pairs, pairDistance(spans, pairs, maxDistance), numEntityTypes, maxDistance)).arraySync()) as number[][][];
    pairLists.forEach((list, b) =>
      list.forEach(([i, j], p) => {
        expect(rows[b][p]).toEqual(naiveTable[labelLists[b][i]][labelLists[b][j]][naiveDistance(b, [i, j], maxDistance)]);
      }),
    );
    const distance = tf.zeros([2, 9], 'int32') as tf.Tensor2D;
    expectNoLeak(() => typeDistanceIds(labels, pairs, distance, numEntityTypes, maxDistance));
    const floatLabels = tf.zeros([2, 6]) as tf.Tensor2D;
    expect(() => typeDistanceIds(floatLabels, pairs, distance, 3, 10)).toThrow(/spanLabels must be int32/);
    table.dispose();
    tf.dispose([spans, pairs, labels, flat, distance, floatLabels]);
  });
});
