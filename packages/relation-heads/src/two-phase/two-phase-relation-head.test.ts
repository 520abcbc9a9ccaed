import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, checkVariableGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPairs, disposePairBatch, type PairBatch } from '../pair-batch.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveBetween, naiveDense, naiveSigmoid, naiveSoftmax, spanTensors } from '../test-support.js';
import { TwoPhaseRelationHead, relationPhaseOneMask, type TwoPhaseRelationHeadConfig } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

type Params = Map<string, tf.Variable>;
const read = (params: Params, name: string) => params.get(name)!.arraySync() as number[][];
const readBias = (params: Params, name: string) => params.get(name)!.arraySync() as number[];
const argmax = (v: number[]): number => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/** Eq. 5 in plain JS from a fusion's parameters (`<prefix>gate.kernel`, `<prefix>projections.<o>.*`). */
function naiveFuse(params: Params, prefix: string, reps: number[][]): number[] {
  const w1 = read(params, `${prefix}gate.kernel`).map((r) => r[0]);
  const projected = reps.map((e, o) => (params.has(`${prefix}projections.${o}.kernel`) ? naiveDense(e, read(params, `${prefix}projections.${o}.kernel`), readBias(params, `${prefix}projections.${o}.bias`)) : e));
  const alpha = naiveSoftmax(projected.map((e) => e.reduce((acc, x, d) => acc + x * w1[d], 0)));
  return w1.map((_, d) => projected.reduce((acc, e, o) => acc + alpha[o] * e[d], 0));
}

/** The two-phase model's logits for one pair, in plain JS from the head's parameters and its flags. */
function naivePair(
  head: TwoPhaseRelationHead,
  hidden: number[][],
  reps: number[][],
  spans: [number, number][],
  labels: number[],
  [i, j]: [number, number],
): { binary?: number[]; types?: number[]; single?: number[] } {
  const c = head.config();
  const params = head.parameters();
  const between = naiveBetween(spans[i], spans[j]);
  const context = hidden[0].map((_, d) => (between.length ? Math.max(...between.map((t) => hidden[t][d])) : 0));
  const distance = Math.min(between.length, c.maxDistance);
  const parts = [reps[i], reps[j], context];
  if (c.twoPhase && c.biFeatures) parts.push(read(params, 'distance.weight')[distance]);
  const fuse = (prefix: string, xs: number[][]) => (c.gated ? naiveFuse(params, prefix, xs) : xs.flat());
  const relation = fuse('relationFusion.', parts);
  let typed = relation;
  if (c.multiFeatures) {
    const row = (labels[i] * (c.numEntityTypes + 1) + labels[j]) * (c.maxDistance + 1) + distance;
    typed = fuse('featureFusion.', [relation, read(params, 'typeDistance.weight')[row]]);
  }
  const dense = (name: string, x: number[]) => naiveDense(x, read(params, `${name}.kernel`), readBias(params, `${name}.bias`));
  return c.twoPhase ? { binary: dense('binary', relation), types: dense('types', typed) } : { single: dense('single', typed) };
}

/** Every boolean flag combination of Table 7 (16). */
const FLAG_SETS = [false, true].flatMap((twoPhase) =>
  [false, true].flatMap((gated) => [false, true].flatMap((biFeatures) => [false, true].map((multiFeatures) => ({ twoPhase, gated, biFeatures, multiFeatures })))),
);

describe('TwoPhaseRelationHead ("two-phase-relation-head.v1")', () => {
  const lengths = [18, 6];
  const contextDim = 4; // D (differs from spanDim: gated fusions project the context)
  const spanDim = 3; // Ds
  const fake = fakeEncoding(lengths, contextDim, 1);
  // Sentence 0 has pairs 13 and 15 words apart (distance clipped to 10), overlapping and adjacent spans.
  const spanLists: [number, number][][] = [
    [[0, 1], [14, 16], [2, 4], [3, 5], [5, 6], [16, 18]],
    [[0, 2], [2, 3], [4, 6]],
  ];
  const labelLists = [
    [1, 3, 2, 1, 2, 3],
    [2, 1, 3, 0, 0, 0],
  ];
  const { spans, spanMask } = spanTensors(spanLists); // [B, K=6, 2]
  const spanLabels = tf.tensor2d(labelLists, undefined, 'int32'); // [B, K]
  const reps = randomTensor([2, 6, spanDim], 3) as tf.Tensor3D; // [B, K, Ds]
  const pairs = allPairs(spans, spanMask, 18, { spanLabels }); // P = 30
  const base = { spanDim, contextDim, numTypes: 3, numEntityTypes: 3, initStd: 0.5, seed: 4 };

  afterAll(() => {
    disposeEncoding(fake);
    disposePairBatch(pairs);
    tf.dispose([spans, spanMask, spanLabels, reps]);
  });

  /** Checks a head's outputs against {@link naivePair} for every pair; padding pairs give 0. */
  function expectMatchesNaive(head: TwoPhaseRelationHead, batch: PairBatch = pairs): void {
    const twoPhase = head.config().twoPhase;
    const outputs = tf.tidy(() => {
      const score = head.score(fake.enc, reps, batch, false).arraySync();
      if (!twoPhase) return { score };
      const phases = head.scorePhases(fake.enc, reps, batch, false);
      return { score, binary: phases.binary.arraySync(), types: phases.types.arraySync() };
    });
    const pairList = batch.pairs.arraySync();
    const real = batch.pairMask.arraySync();
    const repValues = reps.arraySync();
    pairList.forEach((row, b) =>
      row.forEach((pair, p) => {
        if (!real[b][p]) return expect(outputs.score[b][p]).toEqual([0, 0, 0, 0]);
        const expected = naivePair(head, fake.hidden[b], repValues[b], spanLists[b], labelLists[b], pair as [number, number]);
        if (!twoPhase) return expect(maxAbsDiff(outputs.score[b][p], expected.single)).toBeLessThan(1e-4);
        expect(maxAbsDiff(outputs.binary![b][p], expected.binary)).toBeLessThan(1e-4);
        expect(maxAbsDiff(outputs.types![b][p], expected.types)).toBeLessThan(1e-4);
        // The folded logits decide as the paper: phase one by argmax, then the best type.
        const decision = naiveSigmoid(expected.binary![1] - expected.binary![0]) > 0.5 ? 1 + argmax(expected.types!) : 0;
        expect(argmax(outputs.score[b][p])).toBe(decision);
      }),
    );
  }

  it('defaults to the full model of the paper', () => {
    const head = registry.build<TwoPhaseRelationHead>('two-phase-relation-head.v1', { spanDim, contextDim, numTypes: 3, numEntityTypes: 4 });
    expect(head.config()).toEqual({
      spanDim, contextDim, numTypes: 3, maxPairs: 1000, seed: 0,
      numEntityTypes: 4, twoPhase: true, gated: true, projectInputs: true, biFeatures: true, multiFeatures: true, maxDistance: 10, featureDim: spanDim, threshold: 0.5, dropout: 0.1, initStd: 0.02,
    });
    expect([head.inputDim, head.outputDim]).toEqual([spanDim, 4]);
    expect(head.parameters().get('distance.weight')!.shape).toEqual([11, spanDim]);
    expect(head.parameters().get('typeDistance.weight')!.shape).toEqual([5 * 5 * 11, spanDim]);
    head.dispose();
  });

  it('matches the naive model for every Table 7 flag combination, built from config through the registry', () => {
    const decisions = new Set<number>();
    for (const flags of FLAG_SETS) {
      const head = registry.build<TwoPhaseRelationHead>('two-phase-relation-head.v1', { ...base, ...flags });
      const names = [...head.parameters().keys()];
      // The documented parameters of each flag.
      expect(names.includes('distance.weight')).toBe(flags.twoPhase && flags.biFeatures);
      expect(names.includes('typeDistance.weight')).toBe(flags.multiFeatures);
      expect(names.some((n) => n.startsWith('featureFusion.'))).toBe(flags.multiFeatures && flags.gated);
      expect(names.some((n) => n.endsWith('gate.kernel'))).toBe(flags.gated);
      expect(names.includes('relationFusion.projections.2.kernel')).toBe(flags.gated); // the context, D = 4 -> Ds = 3
      expect(names.includes('relationFusion.projections.0.kernel')).toBe(flags.gated); // e1's own map (projectInputs)
      expect(names.filter((n) => /^(binary|types|single)\./.test(n)).map((n) => n.split('.')[0])).toEqual(flags.twoPhase ? ['binary', 'binary', 'types', 'types'] : ['single', 'single']);
      // The documented output shapes.
      const fused = flags.gated ? spanDim : 2 * spanDim + contextDim + (flags.twoPhase && flags.biFeatures ? spanDim : 0);
      expect(head.parameters().get(flags.twoPhase ? 'binary.kernel' : 'single.kernel')!.shape[0]).toBe(flags.twoPhase ? fused : flags.gated ? spanDim : fused + (flags.multiFeatures ? spanDim : 0));
      expect(tf.tidy(() => head.score(fake.enc, reps, pairs, false).shape)).toEqual([2, 30, 4]);
      if (flags.twoPhase) {
        expect(tf.tidy(() => Object.values(head.scorePhases(fake.enc, reps, pairs, false)).map((t) => t.shape))).toEqual([[2, 30, 2], [2, 30, 3]]);
      } else {
        expect(() => head.scorePhases(fake.enc, reps, pairs, false)).toThrow(/scorePhases needs config.twoPhase = true/);
      }
      expectMatchesNaive(head);
      tf.tidy(() => tf.argMax(head.score(fake.enc, reps, pairs, false), -1).dataSync().forEach((v) => decisions.add(v)));
      const twin = registry.build<TwoPhaseRelationHead>(head.name, JSON.parse(JSON.stringify(head.config())));
      expect(tf.tidy(() => twin.score(fake.enc, reps, pairs, false).arraySync())).toEqual(tf.tidy(() => head.score(fake.enc, reps, pairs, false).arraySync()));
      [head, twin].forEach((m) => m.dispose());
    }
    expect(decisions.size).toBeGreaterThan(2); // none and several types occur
  });

  it('projects features of another size (featureDim) inside the fusions', () => {
    const head = new TwoPhaseRelationHead({ ...base, featureDim: 2 });
    const names = [...head.parameters().keys()];
    expect(names).toContain('relationFusion.projections.3.kernel'); // D_rb: 2 -> 3
    expect(names).toContain('featureFusion.projections.1.kernel'); // C_r: 2 -> 3
    expect(head.parameters().get('typeDistance.weight')!.shape).toEqual([16 * 11, 2]);
    expectMatchesNaive(head);
    head.dispose();
  });

  it('phase one tells <e1, e2> from <e2, e1> with projectInputs, and cannot without (the paper\'s shared gate is symmetric)', () => {
    const pairList = pairs.pairs.arraySync(); // [B, P, 2]
    const real = pairs.pairMask.arraySync();
    /** Largest |binary(i, j) - binary(j, i)| over the real pairs. */
    const asymmetry = (head: TwoPhaseRelationHead): number => {
      const binary = tf.tidy(() => head.scorePhases(fake.enc, reps, pairs, false).binary.arraySync());
      let worst = 0;
      pairList.forEach((list, b) =>
        list.forEach(([i, j], p) => {
          if (!real[b][p]) return;
          const q = list.findIndex(([k, l], r) => real[b][r] && k === j && l === i);
          expect(q).toBeGreaterThanOrEqual(0);
          worst = Math.max(worst, maxAbsDiff(binary[b][p], binary[b][q]));
        }),
      );
      return worst;
    };
    const raw = new TwoPhaseRelationHead({ ...base, projectInputs: false });
    const projected = new TwoPhaseRelationHead(base);
    expect(asymmetry(raw)).toBeLessThan(1e-6);
    expect(asymmetry(projected)).toBeGreaterThan(1e-2);
    [raw, projected].forEach((m) => m.dispose());
  });

  it('uses the given entity types: other spanLabels change phase two but not phase one', () => {
    const head = new TwoPhaseRelationHead(base);
    const otherLabels = tf.tensor2d([[2, 1, 3, 3, 1, 2], [1, 3, 2, 0, 0, 0]], undefined, 'int32');
    const other: PairBatch = { ...pairs, spanLabels: otherLabels };
    tf.tidy(() => {
      const a = head.scorePhases(fake.enc, reps, pairs, false);
      const b = head.scorePhases(fake.enc, reps, other, false);
      expect(a.binary.arraySync()).toEqual(b.binary.arraySync());
      expect(maxAbsDiff(a.types.arraySync(), b.types.arraySync())).toBeGreaterThan(1e-3);
    });
    otherLabels.dispose();
    head.dispose();
  });

  it('scores in chunks of maxPairs with the same result, and leaks nothing', () => {
    const head = new TwoPhaseRelationHead(base);
    for (const maxPairs of [1, 7]) {
      const chunked = new TwoPhaseRelationHead({ ...base, maxPairs });
      tf.tidy(() => {
        expect(maxAbsDiff(chunked.score(fake.enc, reps, pairs, false).arraySync(), head.score(fake.enc, reps, pairs, false).arraySync())).toBeLessThan(1e-6);
        expect(maxAbsDiff(chunked.scorePhases(fake.enc, reps, pairs, false).types.arraySync(), head.scorePhases(fake.enc, reps, pairs, false).types.arraySync())).toBeLessThan(1e-6);
      });
      expectNoLeak(() => chunked.score(fake.enc, reps, pairs, true));
      chunked.dispose();
    }
    expectNoLeak(() => head.scorePhases(fake.enc, reps, pairs, true));
    const single = new TwoPhaseRelationHead({ ...base, twoPhase: false });
    expectNoLeak(() => single.score(fake.enc, reps, pairs, true));
    [head, single].forEach((m) => m.dispose());
  });

  it('predicts with the argmax of the folded logits; relationPhaseOneMask agrees with phase one', () => {
    const head = new TwoPhaseRelationHead(base);
    const logits = tf.tidy(() => head.score(fake.enc, reps, pairs, false));
    const values = logits.arraySync();
    const real = pairs.pairMask.arraySync();
    const pairList = pairs.pairs.arraySync();
    const expected = values.map((row, b) =>
      row.flatMap((scores, p) => (real[b][p] && argmax(scores) > 0 ? [{ pair: p, head: pairList[b][p][0], tail: pairList[b][p][1], type: argmax(scores) - 1 }] : [])),
    );
    expect(head.predict(logits, pairs).map((list) => list.map(({ score: _, ...rest }) => rest))).toEqual(expected);
    const mask = tf.tidy(() => relationPhaseOneMask(head.scorePhases(fake.enc, reps, pairs, false).binary, pairs.pairMask).arraySync());
    expect(mask).toEqual(values.map((row, b) => row.map((scores, p) => (real[b][p] && argmax(scores) > 0 ? 1 : 0))));
    logits.dispose();
    head.dispose();
  });

  it('rejects a bad config or missing features with the module and field name', () => {
    const kind = 'two-phase-relation-head.v1';
    expect(() => new TwoPhaseRelationHead({ spanDim, contextDim, numTypes: 3 } as TwoPhaseRelationHeadConfig)).toThrow(`${kind}: config.numEntityTypes must be a positive integer, got undefined`);
    expect(() => new TwoPhaseRelationHead({ ...base, biFeatures: 'no' as never })).toThrow(/config.biFeatures must be true or false/);
    expect(() => new TwoPhaseRelationHead({ ...base, threshold: 0 })).toThrow(/config.threshold must be a number in \(0, 1\)/);
    expect(() => new TwoPhaseRelationHead({ ...base, maxDistance: -1 })).toThrow(/config.maxDistance must be an integer >= 0/);
    expect(() => new TwoPhaseRelationHead({ ...base, multiFeature: true } as never)).toThrow(/unknown config field\(s\) "multiFeature"/);
    const head = new TwoPhaseRelationHead(base);
    const { spanLabels: _, ...unlabeled } = pairs;
    expect(() => head.score(fake.enc, reps, unlabeled, false)).toThrow(`${kind}: pairs.spanLabels is required with config.multiFeatures = true`);
    const tooLarge = tf.tensor2d([[1, 4, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], undefined, 'int32');
    expect(() => head.score(fake.enc, reps, { ...pairs, spanLabels: tooLarge }, false)).toThrow(/pairs.spanLabels holds a class outside \[0, numEntityTypes=3\]/);
    const shortSpans = tf.zeros([2, 5, 2], 'int32') as tf.Tensor3D;
    expect(() => head.score(fake.enc, reps, { ...pairs, spans: shortSpans }, false)).toThrow(/pairs.spans must be int32 \[B=2, K=6, 2\]/);
    // Without multi-class features the labels are not needed.
    const untyped = new TwoPhaseRelationHead({ ...base, multiFeatures: false });
    expect(tf.tidy(() => untyped.score(fake.enc, reps, unlabeled, false).shape)).toEqual([2, 30, 4]);
    tf.dispose([tooLarge, shortSpans]);
    [head, untyped].forEach((m) => m.dispose());
  });

  it('has numerically correct gradients w.r.t. the span reps, the states, the gates and the feature tables', () => {
    const small = fakeEncoding([7], 3, 5, true); // distinct values: the context max-pool is differentiable
    const smallSpans = spanTensors([[[0, 1], [4, 6], [2, 3]]]);
    const smallLabels = tf.tensor2d([[1, 0, 1]], undefined, 'int32');
    const smallPairs = allPairs(smallSpans.spans, smallSpans.spanMask, 7, { spanLabels: smallLabels });
    const smallReps = randomTensor([1, 3, 3], 6) as tf.Tensor3D;
    const head = new TwoPhaseRelationHead({ spanDim: 3, contextDim: 3, numTypes: 2, numEntityTypes: 1, maxDistance: 2, initStd: 0.5, seed: 7 });
    const scoreBoth = (enc = small.enc, spanReps = smallReps) => {
      const { binary, types } = head.scorePhases(enc, spanReps, smallPairs, false);
      return tf.concat([binary, types], 2);
    };
    checkGradients((x) => scoreBoth(small.enc, x as tf.Tensor3D), [smallReps]);
    checkGradients((h) => scoreBoth({ ...small.enc, hidden: h as tf.Tensor3D }), [small.enc.hidden], { eps: 1e-3 });
    const params = head.parameters();
    checkVariableGradients(scoreBoth, ['relationFusion.gate.kernel', 'featureFusion.gate.kernel', 'distance.weight', 'typeDistance.weight'].map((n) => params.get(n)!));
    disposeEncoding(small);
    disposePairBatch(smallPairs);
    tf.dispose([smallSpans.spans, smallSpans.spanMask, smallLabels, smallReps]);
    head.dispose();
  });
});
