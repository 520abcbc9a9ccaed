import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, checkVariableGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spansToTensor } from '../spans-to-tensor.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveDense, naiveSoftmax, randomSpans } from '../test-support.js';
import { TwoPhaseSpanHead } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Eq. 5 in plain JS from a fusion's parameters (`<prefix>gate.kernel`, `<prefix>projections.<o>.*`). */
function naiveFuse(params: Map<string, tf.Variable>, prefix: string, reps: number[][]): number[] {
  const w1 = (params.get(`${prefix}gate.kernel`)!.arraySync() as number[][]).map((r) => r[0]);
  const projected = reps.map((e, o) => {
    const kernel = params.get(`${prefix}projections.${o}.kernel`);
    return kernel ? naiveDense(e, kernel.arraySync() as number[][], params.get(`${prefix}projections.${o}.bias`)!.arraySync() as number[]) : e;
  });
  const alpha = naiveSoftmax(projected.map((e) => e.reduce((acc, x, d) => acc + x * w1[d], 0)));
  return w1.map((_, d) => projected.reduce((acc, e, o) => acc + alpha[o] * e[d], 0));
}

/** The parts of E'_S for one span, in plain JS: [max-pool of its words, cls, width row]. */
function naiveParts(hidden: number[][], cls: number[], table: number[][] | null, [start, end]: [number, number]): number[][] {
  const words = hidden.slice(start, end);
  const pooled = hidden[0].map((_, d) => Math.max(...words.map((w) => w[d])));
  return table ? [pooled, cls, table[Math.min(end - start, table.length - 1)]] : [pooled, cls];
}

/** Gives the gate vector large random values, so the fusion weights differ visibly from uniform. */
function spreadGate(head: TwoPhaseSpanHead, seed: number): void {
  const gate = head.parameters().get('fusion.gate.kernel')!;
  const values = randomTensor(gate.shape, seed, -2, 2);
  gate.assign(values);
  values.dispose();
}

describe('TwoPhaseSpanHead ("two-phase-span-head.v1")', () => {
  const lengths = [7, 4, 5];
  const dim = 5; // D
  const fake = fakeEncoding(lengths, dim, 1);
  const spanLists = randomSpans(lengths, [6, 3, 0], 5, new Rng(2)); // sentence 2 has no span: a fully masked row
  const { spans, spanMask } = spansToTensor(spanLists); // [B=3, S=6, 2]
  const head = registry.build<TwoPhaseSpanHead>('two-phase-span-head.v1', { inputDim: dim, numWidths: 4, seed: 3 }); // widths >= 3 share row 3
  spreadGate(head, 4);

  afterAll(() => {
    disposeEncoding(fake);
    tf.dispose([spans, spanMask]);
    head.dispose();
  });

  it('defaults to the paper (width embedding in R^d, [CLS], gated) with a projection per part; E\'_S is both the entity and the relation representation', () => {
    expect(head.config()).toEqual({ inputDim: dim, widthDim: dim, numWidths: 4, widthDropout: 0, useCls: true, initStd: 0.02, seed: 3, gated: true, projectInputs: true });
    expect([head.poolDim, head.outputDim, head.relationDim]).toEqual([dim, dim, dim]);
    const projections = [0, 1, 2].flatMap((o) => [`fusion.projections.${o}.kernel`, `fusion.projections.${o}.bias`]);
    expect([...head.parameters().keys()]).toEqual(['width.weight', 'fusion.gate.kernel', ...projections]);
  });

  it('matches Eq. 5 over (max-pool, cls, width) in a naive loop; padding spans are 0 vectors', () => {
    const table = head.parameters().get('width.weight')!.arraySync() as number[][];
    const reps = tf.tidy(() => head.embed(fake.enc, spans, spanMask, false).arraySync());
    expect(reps.map((r) => r.length)).toEqual([6, 6, 6]);
    spanLists.forEach((list, b) =>
      reps[b].forEach((rep, s) => {
        if (s >= list.length) return expect(rep).toEqual(new Array(dim).fill(0));
        const expected = naiveFuse(head.parameters(), 'fusion.', naiveParts(fake.hidden[b], fake.cls[b], table, list[s]));
        expect(maxAbsDiff(rep, expected)).toBeLessThan(1e-5);
      }),
    );
    expect(tf.tidy(() => head.relationFeatures(head.embed(fake.enc, spans, spanMask, false)).shape)).toEqual([3, 6, dim]);
  });

  it('concatenates [max-pool; cls; width] with gated: false (w/o gated), and rebuilds from its config', () => {
    const concat = registry.build<TwoPhaseSpanHead>('two-phase-span-head.v1', { inputDim: dim, widthDim: 3, numWidths: 4, gated: false, seed: 3 });
    expect([concat.outputDim, concat.relationDim]).toEqual([2 * dim + 3, 2 * dim + 3]);
    expect([...concat.parameters().keys()]).toEqual(['width.weight']);
    const table = concat.parameters().get('width.weight')!.arraySync() as number[][];
    const reps = tf.tidy(() => concat.embed(fake.enc, spans, spanMask, false).arraySync());
    spanLists.forEach((list, b) =>
      list.forEach((span, s) => expect(maxAbsDiff(reps[b][s], naiveParts(fake.hidden[b], fake.cls[b], table, span).flat())).toBeLessThan(1e-6)),
    );
    const twin = registry.build<TwoPhaseSpanHead>(concat.name, JSON.parse(JSON.stringify(concat.config())));
    expect(tf.tidy(() => twin.embed(fake.enc, spans, spanMask, false).arraySync())).toEqual(reps);
    [concat, twin].forEach((m) => m.dispose());
  });

  it('projectInputs: false fuses the raw parts, projecting only a width embedding of another size; padding stays 0 despite the projection bias', () => {
    const projected = new TwoPhaseSpanHead({ inputDim: dim, widthDim: 3, numWidths: 4, seed: 5, projectInputs: false });
    expect([...projected.parameters().keys()]).toEqual(['width.weight', 'fusion.gate.kernel', 'fusion.projections.2.kernel', 'fusion.projections.2.bias']);
    expect(projected.outputDim).toBe(dim);
    spreadGate(projected, 6);
    projected.parameters().get('fusion.projections.2.bias')!.assign(tf.tensor1d([0.5, -0.5, 0.25, 1, -1]));
    const table = projected.parameters().get('width.weight')!.arraySync() as number[][];
    const reps = tf.tidy(() => projected.embed(fake.enc, spans, spanMask, false).arraySync());
    spanLists.forEach((list, b) =>
      reps[b].forEach((rep, s) => {
        if (s >= list.length) return expect(rep).toEqual(new Array(dim).fill(0));
        expect(maxAbsDiff(rep, naiveFuse(projected.parameters(), 'fusion.', naiveParts(fake.hidden[b], fake.cls[b], table, list[s])))).toBeLessThan(1e-5);
      }),
    );
    projected.dispose();
  });

  it('without [CLS] and width embedding, E\'_S is the max-pool itself', () => {
    const bare = new TwoPhaseSpanHead({ inputDim: dim, widthDim: 0, useCls: false, projectInputs: false });
    expect([...bare.parameters().keys()]).toEqual(['fusion.gate.kernel']);
    const reps = tf.tidy(() => bare.embed(fake.enc, spans, spanMask, false).arraySync());
    spanLists.forEach((list, b) => list.forEach((span, s) => expect(maxAbsDiff(reps[b][s], naiveParts(fake.hidden[b], fake.cls[b], null, span)[0])).toBeLessThan(1e-6)));
    bare.dispose();
  });

  it('rejects a bad config with the module and field name', () => {
    expect(() => new TwoPhaseSpanHead({ inputDim: dim, gated: 'yes' as never })).toThrow('two-phase-span-head.v1: config.gated must be true or false, got "yes"');
    expect(() => new TwoPhaseSpanHead({ inputDim: 0 })).toThrow(/two-phase-span-head.v1: config.inputDim must be a positive integer/);
    expect(() => new TwoPhaseSpanHead({ inputDim: dim, projectInputs: 1 as never })).toThrow('two-phase-span-head.v1: config.projectInputs must be true or false, got 1');
    expect(() => new TwoPhaseSpanHead({ inputDim: dim, gate: true } as never)).toThrow(/unknown config field\(s\) "gate"/);
  });

  it('has numerically correct gradients w.r.t. the states, the gate and the width table, and leaks nothing', () => {
    const small = fakeEncoding([4, 3], 3, 7, undefined, true); // distinct values: max-pool is differentiable
    const smallSpans = spansToTensor([[[0, 2], [1, 4], [3, 4]], [[0, 3]]]);
    const probe = new TwoPhaseSpanHead({ inputDim: 3, numWidths: 5, seed: 8 });
    spreadGate(probe, 9);
    checkGradients((hidden) => probe.embed({ ...small.enc, hidden: hidden as tf.Tensor3D }, smallSpans.spans, smallSpans.spanMask, false), [small.enc.hidden], { eps: 1e-3 });
    const params = probe.parameters();
    checkVariableGradients(() => probe.embed(small.enc, smallSpans.spans, smallSpans.spanMask, false), [params.get('fusion.gate.kernel')!, params.get('width.weight')!]);
    expectNoLeak(() => probe.embed(small.enc, smallSpans.spans, smallSpans.spanMask, true));
    expectNoLeak(() => head.embed(fake.enc, spans, spanMask, true));
    disposeEncoding(small);
    tf.dispose([smallSpans.spans, smallSpans.spanMask]);
    probe.dispose();
  });
});
