import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeak, initBackend, randomTensor } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherKeptSpans, spansToTensor } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('spansToTensor', () => {
  it('packs span lists with (0, 0) padding and a mask, and round-trips', () => {
    const lists: [number, number][][] = [[[0, 1], [2, 5], [1, 3]], [], [[4, 6]]];
    const { spans, spanMask } = spansToTensor(lists);
    expect(spans.dtype).toBe('int32');
    expect(spans.arraySync()).toEqual([[[0, 1], [2, 5], [1, 3]], [[0, 0], [0, 0], [0, 0]], [[4, 6], [0, 0], [0, 0]]]);
    expect(spanMask.arraySync()).toEqual([[1, 1, 1], [0, 0, 0], [1, 0, 0]]);
    const back = (spans.arraySync() as number[][][]).map((row, b) => row.filter((_, s) => spanMask.arraySync()[b][s] === 1));
    expect(back).toEqual(lists);
    tf.dispose([spans, spanMask]);
  });

  it('gives one masked span for a batch without spans, and rejects bad spans', () => {
    const { spans, spanMask } = spansToTensor([[], []]);
    expect([spans.shape, spanMask.arraySync()]).toEqual([[2, 1, 2], [[0], [0]]]);
    tf.dispose([spans, spanMask]);
    expect(() => spansToTensor([[[0, 1]], [[3, 3]]])).toThrow(/spansToTensor: span 0 of sentence 1 is \[3,3\]; expected integers with 0 <= start < end/);
    expect(() => spansToTensor([])).toThrow(/the batch is empty/);
  });
});

describe('gatherKeptSpans', () => {
  it('gathers the kept spans and their representations, padded with zeros', () => {
    const reps = randomTensor([2, 4, 3], 1) as tf.Tensor3D; // [B, S, D]
    const { spans } = spansToTensor([[[0, 1], [1, 2], [2, 3], [3, 4]], [[0, 2], [2, 4], [1, 3], [0, 4]]]);
    const kept = [[3, 1], [2, 0, 1]];
    const out = gatherKeptSpans(reps, spans, kept);
    const all = reps.arraySync();
    const bounds = spans.arraySync();
    expect(out.mask.arraySync()).toEqual([[1, 1, 0], [1, 1, 1]]);
    expect(out.index.arraySync()).toEqual([[3, 1, 0], [2, 0, 1]]);
    expect(out.reps.arraySync()).toEqual(kept.map((list, b) => [0, 1, 2].map((k) => (k < list.length ? all[b][list[k]] : [0, 0, 0]))));
    expect(out.spans.arraySync()).toEqual(kept.map((list, b) => [0, 1, 2].map((k) => (k < list.length ? bounds[b][list[k]] : [0, 0]))));
    tf.dispose([out.reps, out.spans, out.mask, out.index]);
    expectNoLeak(() => gatherKeptSpans(reps, spans, [[], []]));
    expect(() => gatherKeptSpans(reps, spans, [[4], []])).toThrow(/indices\[0\]\[0\] = 4 is not a span position in \[0, 4\)/);
    tf.dispose([reps, spans]);
  });
});
