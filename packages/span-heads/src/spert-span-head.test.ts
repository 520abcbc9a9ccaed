import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpertSpanHead, spansToTensor } from './index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, randomSpans } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** SpERT's x^s for one span, in plain JS: [max over the span's words; width row; cls]. */
function naiveSpert(hidden: number[][], cls: number[], table: number[][], [start, end]: [number, number]): number[] {
  const words = hidden.slice(start, end);
  const pooled = hidden[0].map((_, d) => Math.max(...words.map((w) => w[d])));
  const width = table[Math.min(end - start, table.length - 1)];
  return [...pooled, ...width, ...cls];
}

describe('SpertSpanHead ("spert-span-head.v1")', () => {
  const lengths = [7, 4, 5];
  const dim = 5;
  const fake = fakeEncoding(lengths, dim, 1);
  const spanLists = randomSpans(lengths, [6, 3, 0], 5, new Rng(2)); // sentence 2 has no span: a fully masked row
  const { spans, spanMask } = spansToTensor(spanLists); // [B=3, S=6, 2]
  const head = registry.build<SpertSpanHead>('spert-span-head.v1', { inputDim: dim, numWidths: 4, seed: 3 }); // widths >= 3 share row 3

  afterAll(() => {
    disposeEncoding(fake);
    tf.dispose([spans, spanMask]);
    head.dispose();
  });

  it('has the paper defaults and SpERT dims', () => {
    expect(head.config()).toEqual({ inputDim: dim, widthDim: 25, numWidths: 4, widthDropout: 0, useCls: true, initStd: 0.02, seed: 3 });
    expect([head.poolDim, head.relationDim, head.outputDim]).toEqual([dim, dim + 25, dim + 25 + dim]);
    expect([...head.parameters().keys()]).toEqual(['width.weight']);
  });

  it('matches a naive per-span loop; padding spans are 0 vectors', () => {
    const table = head.parameters().get('width.weight')!.arraySync() as number[][];
    const reps = tf.tidy(() => head.embed(fake.enc, spans, spanMask, false).arraySync());
    expect([reps.length, reps[0].length, reps[0][0].length]).toEqual([3, 6, head.outputDim]);
    spanLists.forEach((list, b) =>
      reps[b].forEach((rep, s) => {
        const expected = s < list.length ? naiveSpert(fake.hidden[b], fake.cls[b], table, list[s]) : new Array(head.outputDim).fill(0);
        expect(maxAbsDiff(rep, expected)).toBeLessThan(1e-6);
      }),
    );
  });

  it('relationFeatures keeps e(s) = [maxpool; width] and drops [CLS]', () => {
    tf.tidy(() => {
      const reps = head.embed(fake.enc, spans, spanMask, false);
      const forRelations = head.relationFeatures(reps);
      expect(forRelations.shape).toEqual([3, 6, dim + 25]);
      expect(forRelations.arraySync()).toEqual(tf.slice(reps, [0, 0, 0], [-1, -1, dim + 25]).arraySync());
      expect(() => head.relationFeatures(forRelations)).toThrow(/relationFeatures expects \[B, S, outputDim=35\]/);
    });
  });

  it('rebuilds identically from config() and rejects unknown or bad fields', () => {
    const twin = registry.build<SpertSpanHead>('spert-span-head.v1', head.config());
    tf.tidy(() => {
      expect(twin.embed(fake.enc, spans, spanMask, false).arraySync()).toEqual(head.embed(fake.enc, spans, spanMask, false).arraySync());
    });
    twin.dispose();
    expect(() => new SpertSpanHead({ inputDim: 4, widhtDim: 3 } as never)).toThrow(/spert-span-head.v1: unknown config field\(s\) "widhtDim"/);
    expect(() => new SpertSpanHead({ inputDim: 0 })).toThrow(/config.inputDim must be a positive integer/);
  });

  it('can leave out the width embedding and [CLS]', () => {
    const bare = new SpertSpanHead({ inputDim: dim, widthDim: 0, useCls: false });
    expect([bare.outputDim, bare.relationDim, bare.parameters().size]).toEqual([dim, dim, 0]);
    tf.tidy(() => {
      const full = head.embed(fake.enc, spans, spanMask, false);
      expect(bare.embed(fake.enc, spans, spanMask, false).arraySync()).toEqual(tf.slice(full, [0, 0, 0], [-1, -1, dim]).arraySync());
    });
  });

  it('rejects spans outside their sentence, naming the span', () => {
    const bad = spansToTensor([[[0, 2]], [[2, 5]], [[0, 1]]]); // sentence 1 has 4 words
    expect(() => head.embed(fake.enc, bad.spans, bad.spanMask, false)).toThrow(/spans\[1\]\[0\] = \[2, 5\) is not a non-empty span inside sentence 1 \(4 words\)/);
    const empty = { spans: tf.tensor3d([[[3, 3]], [[0, 1]], [[0, 1]]], undefined, 'int32'), spanMask: tf.ones([3, 1]) as tf.Tensor2D };
    expect(() => head.embed(fake.enc, empty.spans, empty.spanMask, false)).toThrow(/spans\[0\]\[0\] = \[3, 3\)/);
    expect(() => head.embed(fake.enc, tf.cast(spans, 'float32') as tf.Tensor3D, spanMask, false)).toThrow(/spans must be int32 \[B=3, S, 2\]/);
    const otherDim = new SpertSpanHead({ inputDim: dim + 1 });
    expect(() => otherDim.embed(fake.enc, spans, spanMask, false)).toThrow(/enc.hidden must be \[B, T, inputDim=6\], got \[3, 7, 5\]/);
    tf.dispose([bad.spans, bad.spanMask, empty.spans, empty.spanMask]);
    otherDim.dispose();
  });

  it('ignores the bounds of masked spans, even out-of-range ones', () => {
    const garbage = tf.tensor3d([[[0, 2], [-4, 99]], [[1, 3], [5, 1]], [[0, 1], [0, 0]]], undefined, 'int32'); // [B, S=2, 2]
    const mask = tf.tensor2d([[1, 0], [1, 0], [0, 0]]);
    tf.tidy(() => {
      const reps = head.embed(fake.enc, garbage, mask, false).arraySync();
      expect(reps[0][1].every((v) => v === 0) && reps[1][1].every((v) => v === 0) && reps[2][0].every((v) => v === 0)).toBe(true);
    });
    tf.dispose([garbage, mask]);
  });

  it('has correct gradients w.r.t. the states, [CLS] and the width table', () => {
    const distinct = fakeEncoding([4, 3], 3, 5, undefined, true);
    const small = new SpertSpanHead({ inputDim: 3, widthDim: 2, numWidths: 3, seed: 1 });
    const lists: [number, number][][] = [[[0, 3], [1, 2], [2, 4]], [[0, 1], [1, 3]]];
    const { spans: s, spanMask: m } = spansToTensor(lists);
    checkGradients((hidden, cls) => small.embed({ ...distinct.enc, hidden: hidden as tf.Tensor3D, cls: cls as tf.Tensor2D }, s, m, false), [distinct.enc.hidden, distinct.enc.cls], {
      eps: 1e-3,
    });
    // The width table's gradient is the sum of the upstream gradient over the spans of each width (clipped to the last row).
    const rng = new Rng(9);
    const weights = tf.tensor3d([0, 1].map(() => [0, 1, 2].map(() => Array.from({ length: small.outputDim }, () => rng.next())))); // [B=2, S=3, D']
    const table = small.parameters().get('width.weight')!;
    const grads = tf.tidy(() => {
      const { grads: byName } = tf.variableGrads(() => tf.sum(tf.mul(small.embed(distinct.enc, s, m, false), weights)) as tf.Scalar, [table]);
      return byName[table.name].arraySync() as number[][];
    });
    const w = weights.arraySync();
    const expected = [0, 1, 2].map(() => [0, 0]);
    lists.forEach((list, b) => list.forEach(([start, end], k) => [0, 1].forEach((j) => (expected[Math.min(end - start, 2)][j] += w[b][k][3 + j]))));
    expect(maxAbsDiff(grads, expected)).toBeLessThan(1e-5);
    tf.dispose([s, m, weights]);
    disposeEncoding(distinct);
    small.dispose();
  });

  it('leaks no tensor, in training and inference', () => {
    expectNoLeak(() => head.embed(fake.enc, spans, spanMask, true));
    expectNoLeak(() => tf.tidy(() => head.relationFeatures(head.embed(fake.enc, spans, spanMask, false))));
  });
});
