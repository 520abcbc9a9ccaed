import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, isCpuPatched, isWasmPatched, patchWasmForTraining } from './index.js';
import { setFusedKernels } from './fused-kernels.js';
import { intTensor, maxAbsDiff, randomTensor, rowCopyCases, snapshotsOf, type Snapshot } from './test-support.js';

/**
 * Every case runs on the stock cpu backend first (no spanrel patch applied in
 * this process yet), then on the patched wasm backend; results must agree to 1e-4.
 */
type Case = () => Snapshot[];

/** Gradients of `sum(f(...inputs) * weights)` w.r.t. every input; random weights make every output element matter. */
function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, shapes: number[][], seed: number): Snapshot[] {
  return snapshotsOf(() => {
    const inputs = shapes.map((s, i) => randomTensor(s, seed + i));
    const outShape = f(...inputs).shape;
    const weights = randomTensor(outShape, seed + 100);
    return tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)))(inputs);
  });
}


const gatherCases: Record<string, Case> = {
  'axis 0, 2-D indices with repeats (embedding lookup)': () =>
    gradsOf((p) => tf.gather(p, intTensor([3, 4], 0, 12, 1)), [[12, 7]], 10),
  'axis 1': () => gradsOf((p) => tf.gather(p, intTensor([6], 0, 9, 2), 1), [[4, 9, 5]], 20),
  'batchDims 1': () => gradsOf((p) => tf.gather(p, intTensor([3, 4], 0, 8, 3), 1, 1), [[3, 8, 5]], 30),
};

const conv1dCases: Record<string, Case> = {
  'stride 1, same': () => gradsOf((x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, 'same'), [[2, 9, 3], [3, 3, 4]], 40),
  'stride 2, valid': () => gradsOf((x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 2, 'valid'), [[2, 11, 3], [4, 3, 5]], 50),
  'char-CNN sized (width 3, 50 filters)': () =>
    gradsOf((x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, 'same'), [[6, 12, 16], [3, 16, 50]], 60),
};

const conv2dCases: Record<string, Case> = {
  'stride 1, same': () => gradsOf((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'), [[2, 6, 5, 3], [3, 2, 3, 4]], 70),
  'stride 2, valid': () => gradsOf((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'valid'), [[1, 7, 8, 2], [3, 3, 2, 3]], 80),
  'stride 2, same, odd sizes': () => gradsOf((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), [[1, 7, 6, 3], [3, 3, 3, 2]], 90),
  'strides [1, 2], explicit padding': () =>
    gradsOf(
      (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, [1, 2], [[0, 0], [1, 2], [0, 1], [0, 0]]),
      [[2, 5, 5, 2], [2, 3, 2, 2]],
      100,
    ),
};

/**
 * a: [...batchA, M, K] (or [..., K, M] when transposeA), b: [...batchB, K, N]
 * likewise; every combination of flags. `[M, K, N]` defaults to a product
 * below the wasm kernel's item threshold (the stock loop runs it).
 */
function matMulCases(batch: number[], seed: number, batchB: number[] = batch, [M, K, N]: number[] = [5, 7, 6]): Record<string, Case> {
  const cases: Record<string, Case> = {};
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const aShape = [...batch, ...(ta ? [K, M] : [M, K])];
      const bShape = [...batchB, ...(tb ? [N, K] : [K, N])];
      // The stock cpu gradient cannot sum over broadcast batch axes: its reference broadcasts explicitly.
      const outBatch = tf.backend_util.assertAndGetBroadcastShape(batch, batchB);
      const broadcast = (x: tf.Tensor): tf.Tensor => (tf.getBackend() === 'cpu' ? tf.broadcastTo(x, [...outBatch, ...x.shape.slice(-2)]) : x);
      cases[`a [${aShape}], b [${bShape}], transposeA ${ta}, transposeB ${tb}`] = () =>
        gradsOf((a, b) => tf.matMul(broadcast(a), broadcast(b), ta, tb), [aShape, bShape], seed + (ta ? 2 : 0) + (tb ? 1 : 0));
    }
  }
  return cases;
}

/** 33 x 31 x 17 = 17,391 multiply-adds: above MIN_ITEM_MULTIPLY_ADDS, so batches run product by product on XNNPACK. */
const LARGE = [33, 31, 17];

const allMatMulCases: Record<string, Case> = {
  ...matMulCases([], 200),
  ...matMulCases([3], 210),
  ...matMulCases([2, 3], 220),
  ...matMulCases([3], 230, [3], LARGE),
  ...matMulCases([2, 3], 240, [2, 3], LARGE),
  // b shared by every item: one [1, 6*17, 19] product (and its gradient sums a batch of products).
  ...matMulCases([2, 3], 250, [], LARGE),
  ...matMulCases([4], 260, [1], LARGE),
  // a shared by every item: a's memory read by each product.
  ...matMulCases([], 270, [4], LARGE),
  // Outer products (K = 1), batched and broadcast: a Multiply.
  ...matMulCases([3], 280, [3], [6, 1, 5]),
  ...matMulCases([2, 1], 290, [2, 3], [4, 1, 7]),
  // Batches broadcast on both sides (the stock kernel pairs items wrongly there): repeated first.
  ...matMulCases([2, 1], 300, [1, 3]),
  ...matMulCases([2, 1], 310, [1, 3], LARGE),
  // Few rows against a wide b (a layer's weight in a gradient dY @ W^T): transposing a and the
  // product moves fewer values than transposing b, so the kernel computes (op(b)^T @ op(a)^T)^T.
  ...matMulCases([], 320, [], [3, 40, 50]),
  ...matMulCases([2], 330, [2], [3, 40, 50]),
  ...matMulCases([2, 3], 340, [], [3, 40, 50]),
};

const fusedMatMulCases: Record<string, Case> = Object.fromEntries(
  [false, true].flatMap((ta) =>
    [false, true].map((tb): [string, Case] => [
      `transposeA ${ta}, transposeB ${tb}, bias + relu`,
      () =>
        gradsOf(
          (a, b, bias) => tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation: 'relu' }),
          [ta ? [7, 5] : [5, 7], tb ? [6, 7] : [7, 6], [6]],
          300 + (ta ? 2 : 0) + (tb ? 1 : 0),
        ),
    ]),
  ),
);

/** Kernels wasm lacks that the patch forwards to the cpu kernel. */
const forwardedCases: Record<string, Case> = {
  'depthwiseConv2d gradients': () =>
    gradsOf((x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'), [[1, 5, 5, 2], [3, 3, 2, 2]], 400),
  'einsum forward': () => snapshotsOf(() => tf.einsum('bij,bjk->bik', randomTensor([2, 3, 4], 410), randomTensor([2, 4, 5], 411))),
};

const segmentSumCases: Record<string, Case> = {
  'ids in and out of range': () =>
    snapshotsOf(() => tf.unsortedSegmentSum(randomTensor([10, 3, 2], 500), intTensor([10], -1, 7, 501) as tf.Tensor1D, 5)),
  // Kept small: the stock cpu kernel it is compared with costs O(segments x rows x width).
  'many segments': () =>
    snapshotsOf(() => tf.unsortedSegmentSum(randomTensor([120, 30], 510), intTensor([120], 0, 600, 511) as tf.Tensor1D, 600)),
};

const oneHotCases: Record<string, Case> = {
  float32: () => snapshotsOf(() => tf.oneHot(intTensor([3, 4], -1, 6, 700), 5, 1, 0, 'float32')),
  'float32, label-smoothing values': () => snapshotsOf(() => tf.oneHot(intTensor([7], 0, 4, 701), 4, 0.9, 0.025, 'float32')),
  int32: () => snapshotsOf(() => tf.oneHot(intTensor([6], 0, 3, 702), 3)),
};

const groups: Record<string, Record<string, Case>> = {
  'gather gradient (UnsortedSegmentSum)': gatherCases,
  'conv1d gradients (Conv2DBackpropFilter / Input)': conv1dCases,
  'conv2d gradients (Conv2DBackpropFilter / Input)': conv2dCases,
  'matMul gradients (BatchMatMul)': allMatMulCases,
  'fused matMul gradients (_FusedMatMul)': fusedMatMulCases,
  'kernels forwarded to cpu': forwardedCases,
  UnsortedSegmentSum: segmentSumCases,
  'OneHot (stock wasm writes int32 bits into float32 outputs)': oneHotCases,
};

const stockCpu = new Map<string, Snapshot[]>();
const rowCopy = rowCopyCases();
const stockCpuRowCopy = new Map<string, Snapshot[]>();

beforeAll(async () => {
  // Fresh process per test file: nothing is patched yet, so this is the stock cpu backend.
  expect(isCpuPatched()).toBe(false);
  await tf.setBackend('cpu');
  for (const [group, cases] of Object.entries(groups)) {
    for (const [name, run] of Object.entries(cases)) stockCpu.set(`${group} / ${name}`, run());
  }
  for (const [name, run] of Object.entries(rowCopy)) stockCpuRowCopy.set(name, run());
  const info = await initBackend({ backend: 'wasm' });
  expect(info.name).toBe('wasm');
  expect(info.patched).toBe(true);
});

for (const [group, cases] of Object.entries(groups)) {
  describe(`patched wasm = stock cpu: ${group}`, () => {
    for (const [name, run] of Object.entries(cases)) {
      it(name, () => {
        expect(tf.getBackend()).toBe('wasm');
        const expected = stockCpu.get(`${group} / ${name}`)!;
        const actual = run();
        expect(actual.length).toBe(expected.length);
        actual.forEach((a, i) => {
          expect(a.shape).toEqual(expected[i].shape);
          expect(maxAbsDiff(a.values, expected[i].values)).toBeLessThan(1e-4);
        });
      });
    }
  });
}

describe('patched wasm = stock cpu with the fused kernels off (batches on the stock loop)', () => {
  afterAll(() => setFusedKernels(true));
  for (const [name, run] of Object.entries(allMatMulCases)) {
    it(name, () => {
      setFusedKernels(false);
      const expected = stockCpu.get(`matMul gradients (BatchMatMul) / ${name}`)!;
      const actual = run();
      actual.forEach((a, i) => expect(maxAbsDiff(a.values, expected[i].values)).toBeLessThan(1e-4));
    });
  }
});

describe('patched wasm: beyond the stock cpu backend', () => {
  it('sums the matMul gradient over broadcast batch axes (stock tfjs throws here)', () => {
    // Expectation: the same product with the broadcast made explicit by broadcastTo, whose gradient sums.
    const viaBroadcastTo = gradsOf((a, b) => tf.matMul(a, tf.broadcastTo(b, [2, 3, 5, 6])), [[2, 3, 4, 5], [1, 5, 6]], 600);
    const direct = gradsOf((a, b) => tf.matMul(a, b), [[2, 3, 4, 5], [1, 5, 6]], 600);
    expect(direct[1].shape).toEqual([1, 5, 6]);
    direct.forEach((d, i) => expect(maxAbsDiff(d.values, viaBroadcastTo[i].values)).toBeLessThan(1e-4));

    const lowRankA = gradsOf((a, b) => tf.matMul(a, b), [[3, 4], [2, 4, 5]], 610);
    const lowRankAExplicit = gradsOf((a, b) => tf.matMul(tf.broadcastTo(a, [2, 3, 4]), b), [[3, 4], [2, 4, 5]], 610);
    expect(lowRankA[0].shape).toEqual([3, 4]);
    lowRankA.forEach((d, i) => expect(maxAbsDiff(d.values, lowRankAExplicit[i].values)).toBeLessThan(1e-4));
  });

  it('sums the squaredDifference gradient over broadcast axes', () => {
    const direct = gradsOf((a, b) => tf.squaredDifference(a, b), [[4, 3], [1, 3]], 620);
    const explicit = gradsOf((a, b) => tf.squaredDifference(a, tf.broadcastTo(b, [4, 3])), [[4, 3], [1, 3]], 620);
    expect(direct[1].shape).toEqual([1, 3]);
    direct.forEach((d, i) => expect(maxAbsDiff(d.values, explicit[i].values)).toBeLessThan(1e-5));
  });

  it('has a gatherND gradient equal to the gather gradient of the same rows', () => {
    const rows = [[2], [0], [2], [4]];
    const viaGatherNd = gradsOf((p) => tf.gatherND(p, tf.tensor2d(rows, [4, 1], 'int32')), [[5, 3]], 630);
    const viaGather = gradsOf((p) => tf.gather(p, tf.tensor1d(rows.flat(), 'int32')), [[5, 3]], 630);
    expect(maxAbsDiff(viaGatherNd[0].values, viaGather[0].values)).toBeLessThan(1e-6);
  });

  it('computes UnsortedSegmentSum like a naive loop, with 2-D segment ids', () => {
    const x = randomTensor([4, 3, 2], 640);
    const ids = intTensor([4, 3], -1, 4, 641);
    const out = tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 3);
    const xs = x.dataSync();
    const is = ids.dataSync();
    const expected = new Float32Array(3 * 2);
    for (let r = 0; r < 12; r++) {
      if (is[r] < 0 || is[r] >= 3) continue;
      for (let j = 0; j < 2; j++) expected[is[r] * 2 + j] += xs[r * 2 + j];
    }
    expect(out.shape).toEqual([3, 2]);
    expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThan(1e-6);
    tf.dispose([x, ids, out]);
  });

  it('leaks neither tensors nor wasm buffers across gradient steps', () => {
    const step = () => {
      conv1dCases['stride 1, same']();
      gatherCases['axis 0, 2-D indices with repeats (embedding lookup)']();
      allMatMulCases['a [3,7,5], b [3,6,7], transposeA true, transposeB true']();
      allMatMulCases['a [3,31,33], b [3,17,31], transposeA true, transposeB true'](); // product by product, on heap views
      allMatMulCases['a [2,3,33,31], b [31,17], transposeA false, transposeB false'](); // b shared by every item
    };
    step();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('clones without copying: a clone shares its data, either one outlives the other; gradients through saved tensors unchanged', () => {
    const backend = tf.engine().backend;
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const buffers = backend.numDataIds();
    const copy = tf.clone(x);
    expect(backend.numDataIds()).toBe(buffers); // no new buffer
    expect(backend.refCount(x.dataId)).toBe(2);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4, 5, 6]); // still readable after the original is gone
    expect(backend.refCount(copy.dataId)).toBe(1);
    copy.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1); // the shared buffer is freed with its last reference
    // Gradients through kernels that save their inputs (tfjs clones them for the backward pass) are unchanged.
    const a = randomTensor([4, 5], 7);
    const grads = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(tf.exp(t), tf.sigmoid(t))))([a]);
    const expected = tf.tidy(() => tf.mul(tf.exp(a), tf.add(tf.sigmoid(a), tf.mul(tf.sigmoid(a), tf.sub(1, tf.sigmoid(a))))));
    expect(maxAbsDiff(grads[0].dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    tf.dispose([a, expected, ...grads]);
  });

  it('is idempotent', () => {
    expect(isWasmPatched()).toBe(true);
    const again = patchWasmForTraining();
    expect(again.changed).toBe(false);
    const grads = gatherCases['axis 1']();
    expect(maxAbsDiff(grads[0].values, stockCpu.get('gather gradient (UnsortedSegmentSum) / axis 1')![0].values)).toBeLessThan(1e-4);
  });

  it('takes an embedding gradient (240 tokens, 5,000 words, dim 300) in well under a second', () => {
    const table = tf.variable(tf.zeros([5000, 300]));
    const ids = intTensor([8, 30], 0, 5000, 650);
    const t0 = performance.now();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table);
    g.dataSync();
    expect(performance.now() - t0).toBeLessThan(1000);
    tf.dispose([table, ids, g]);
  });
});

describe('patched wasm = stock cpu, exactly: row-copy kernels (slicing, gather) on odd shapes', () => {
  for (const [name, run] of Object.entries(rowCopy)) {
    it(name, () => {
      const actual = run();
      const expected = stockCpuRowCopy.get(name)!;
      expect(actual.length).toBe(expected.length);
      actual.forEach((a, i) => {
        expect(a.shape).toEqual(expected[i].shape);
        expect(maxAbsDiff(a.values, expected[i].values)).toBe(0);
      });
    });
  }

  it('rejects an out-of-range gather index', () => {
    const x = tf.ones([3, 2]);
    expect(() => tf.gather(x, tf.tensor1d([0, 3], 'int32'))).toThrow(/index value 3/);
    x.dispose();
  });
});
