import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../module/registry.js';
import { checkGradients, checkVariableGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { GatedFusion, type GatedFusionConfig } from './gated-fusion.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS `v · W + b`. */
function linear(v: number[], kernel: number[][], bias: number[] | null): number[] {
  return kernel[0].map((_, o) => v.reduce((acc, vi, i) => acc + vi * kernel[i][o], bias ? bias[o] : 0));
}

/** Eq. 5 for one row, in plain JS: project where needed, v_o = W1 · E_o, α = softmax(v), Σ α_o E_o. */
function naiveFusion(fusion: GatedFusion, row: number[][]): { fused: number[]; alpha: number[] } {
  const params = fusion.parameters();
  const w1 = (params.get('gate.kernel')!.arraySync() as number[][]).map((r) => r[0]); // [d]
  const projected = row.map((e, o) =>
    params.has(`projections.${o}.kernel`)
      ? linear(e, params.get(`projections.${o}.kernel`)!.arraySync() as number[][], params.get(`projections.${o}.bias`)!.arraySync() as number[])
      : e,
  );
  const v = projected.map((e) => e.reduce((acc, x, d) => acc + x * w1[d], 0));
  const top = Math.max(...v);
  const exp = v.map((x) => Math.exp(x - top));
  const alpha = exp.map((x) => x / exp.reduce((a, b) => a + b, 0));
  const fused = projected[0].map((_, d) => projected.reduce((acc, e, o) => acc + alpha[o] * e[d], 0));
  return { fused, alpha };
}

function registryWithFusion(): Registry {
  const target = new Registry();
  target.register(GatedFusion.kind, (c: GatedFusionConfig) => new GatedFusion(c));
  return target;
}

describe('GatedFusion ("gated-fusion.v1")', () => {
  // Three [B=2, S=3, .] inputs; the third has another size and is projected to d = 4.
  const a = randomTensor([2, 3, 4], 1, -2, 2);
  const b = randomTensor([2, 3, 4], 2, -2, 2);
  const c = randomTensor([2, 3, 3], 3, -2, 2);

  it('matches Eq. 5 computed in a naive loop, with a projection for the odd-sized input', () => {
    // A large gate std so the gates differ visibly (the default 0.02 gives nearly uniform weights).
    const fusion = registryWithFusion().build<GatedFusion>('gated-fusion.v1', { inputDims: [4, 4, 3], initStd: 1, seed: 5 });
    expect([fusion.numInputs, fusion.outputDim]).toEqual([3, 4]);
    expect([...fusion.parameters().keys()]).toEqual(['gate.kernel', 'projections.2.kernel', 'projections.2.bias']);
    fusion.parameters().get('projections.2.bias')!.assign(tf.tensor1d([0.3, -0.2, 0.1, 0.5])); // a non-zero bias is used too
    const [va, vb, vc] = [a, b, c].map((t) => t.arraySync() as number[][][]);
    const fused = tf.tidy(() => fusion.apply([a, b, c]).arraySync()) as number[][][];
    const alpha = tf.tidy(() => fusion.gateWeights([a, b, c]).arraySync()) as number[][][];
    let spread = 0;
    for (let i = 0; i < 2; i++) {
      for (let s = 0; s < 3; s++) {
        const expected = naiveFusion(fusion, [va[i][s], vb[i][s], vc[i][s]]);
        expected.fused.forEach((x, d) => expect(fused[i][s][d]).toBeCloseTo(x, 5));
        expected.alpha.forEach((x, o) => expect(alpha[i][s][o]).toBeCloseTo(x, 5));
        spread = Math.max(spread, Math.max(...expected.alpha) - Math.min(...expected.alpha));
      }
    }
    expect(spread).toBeGreaterThan(0.2); // the gates really weigh the inputs differently
    fusion.dispose();
  });

  it('projectAll maps every input by its own layer (Eq. 5 on P_o E_o), so swapping two inputs changes the result', () => {
    const fusion = new GatedFusion({ inputDims: [4, 4, 3], projectAll: true, initStd: 1, seed: 6 });
    expect([...fusion.parameters().keys()]).toEqual(['gate.kernel', ...[0, 1, 2].flatMap((o) => [`projections.${o}.kernel`, `projections.${o}.bias`])]);
    const [va, vb, vc] = [a, b, c].map((t) => t.arraySync() as number[][][]);
    const fused = tf.tidy(() => fusion.apply([a, b, c]).arraySync()) as number[][][];
    fused.forEach((row, i) => row.forEach((out, s) => naiveFusion(fusion, [va[i][s], vb[i][s], vc[i][s]]).fused.forEach((x, d) => expect(out[d]).toBeCloseTo(x, 5))));
    // Without projections the sum is symmetric in equal-sized inputs; with them it is not.
    const plain = new GatedFusion({ inputDims: [4, 4, 3], initStd: 1, seed: 6 });
    const gap = (f: GatedFusion) => tf.tidy(() => tf.max(tf.abs(tf.sub(f.apply([a, b, c]), f.apply([b, a, c])))).dataSync()[0]);
    expect(gap(plain)).toBeLessThan(1e-6);
    expect(gap(fusion)).toBeGreaterThan(1e-2);
    expect(() => new GatedFusion({ inputDims: [4], projectAll: 'yes' as never })).toThrow(/config.projectAll must be true or false/);
    [fusion, plain].forEach((f) => f.dispose());
  });

  it('fuses all-zero rows (padding) to 0 with equal weights', () => {
    const fusion = new GatedFusion({ inputDims: [4, 4], initStd: 1 });
    const zeros = tf.zeros([1, 2, 4]);
    expect(tf.tidy(() => fusion.apply([zeros, zeros]).arraySync())).toEqual([[[0, 0, 0, 0], [0, 0, 0, 0]]]);
    expect(tf.tidy(() => fusion.gateWeights([zeros, zeros]).arraySync())).toEqual([[[0.5, 0.5], [0.5, 0.5]]]);
    zeros.dispose();
    fusion.dispose();
  });

  it('concatenates when gated is false (the w/o gated ablation): no parameters, output Σ inputDims', () => {
    const fusion = registryWithFusion().build<GatedFusion>('gated-fusion.v1', { inputDims: [4, 4, 3], gated: false });
    expect([fusion.outputDim, fusion.parameters().size, fusion.gated]).toEqual([11, 0, false]);
    const out = tf.tidy(() => fusion.apply([a, b, c]).arraySync()) as number[][][];
    const [va, vb, vc] = [a, b, c].map((t) => t.arraySync() as number[][][]);
    expect(out).toEqual(va.map((row, i) => row.map((e, s) => [...e, ...vb[i][s], ...vc[i][s]])));
    expect(() => fusion.gateWeights([a, b, c])).toThrow(/gateWeights needs config.gated = true/);
  });

  it('rebuilds identically from its plain-JSON config', () => {
    const fusion = new GatedFusion({ inputDims: [4, 3], dim: 4, seed: 9 });
    const config = JSON.parse(JSON.stringify(fusion.config()));
    expect(config).toEqual({ inputDims: [4, 3], dim: 4, gated: true, projectAll: false, initStd: 0.02, seed: 9 });
    const twin = registryWithFusion().build<GatedFusion>(fusion.name, config);
    for (const [name, v] of fusion.parameters()) expect(twin.parameters().get(name)!.arraySync()).toEqual(v.arraySync());
    [fusion, twin].forEach((m) => m.dispose());
  });

  it('rejects a bad config or input with the module and field name', () => {
    expect(() => new GatedFusion({ inputDims: [] })).toThrow('gated-fusion.v1: config.inputDims must list at least one representation size');
    expect(() => new GatedFusion({ inputDims: [4, 0] })).toThrow(/config.inputDims\[1\] must be a positive integer/);
    expect(() => new GatedFusion({ inputDims: [4], gate: true } as never)).toThrow(/unknown config field\(s\) "gate"/);
    const fusion = new GatedFusion({ inputDims: [4, 4] });
    expect(() => fusion.apply([a])).toThrow(/expects 2 representations/);
    expect(() => fusion.apply([a, c])).toThrow(/representation 1 has shape \[2, 3, 3\], its last axis must be config.inputDims\[1\] = 4/);
    const other = tf.zeros([3, 2, 4]);
    expect(() => fusion.apply([a, other])).toThrow(/leading axes must match/);
    other.dispose();
    fusion.dispose();
  });

  it('has numerically correct gradients w.r.t. the inputs, W1 and a projection', () => {
    const fusion = new GatedFusion({ inputDims: [4, 4, 3], initStd: 1, seed: 2 });
    checkGradients((x, y, z) => fusion.apply([x, y, z]), [a, b, c]);
    const params = fusion.parameters();
    checkVariableGradients(() => fusion.apply([a, b, c]), [params.get('gate.kernel')!, params.get('projections.2.kernel')!, params.get('projections.2.bias')!]);
    fusion.dispose();
  });

  it('leaks no tensors', () => {
    const fusion = new GatedFusion({ inputDims: [4, 4, 3] });
    expectNoLeak(() => fusion.apply([a, b, c]));
    expectNoLeak(() => fusion.gateWeights([a, b, c]));
    fusion.dispose();
  });
});
