import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { checkGradients, distinctRandomTensor, expectNoLeak, maxAbsDiff, naiveDense, naiveMatMul, naiveMlp, naiveSoftmax, randomIntTensor, randomMask, randomSpans, randomTensor, relativeToScale } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('checkGradients', () => {
  const x = randomTensor([3, 4], 1);
  const y = randomTensor([4, 2], 2);

  it('accepts correct gradients and reports the worst element per input', () => {
    const report = checkGradients((a, b) => tf.matMul(tf.tanh(a), b), [x, y]);
    expect(report.inputs.map((r) => r.index)).toEqual([0, 1]);
    report.inputs.forEach((r) => expect(r.maxAbsError).toBeLessThan(1e-3));
  });

  it('throws on a wrong gradient, naming the input and element', () => {
    // d/dx of x^2 claimed to be x (half the truth).
    const wrongSquare = tf.customGrad(((a: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a]);
      return { value: tf.square(a), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    expect(() => checkGradients((a) => wrongSquare(a) as tf.Tensor, [x])).toThrow(/input 0 \[3, 4\] element \d+: analytic/);
  });

  it('throws on a non-finite gradient', () => {
    expect(() => checkGradients((a) => tf.sqrt(tf.sub(a, a)), [x])).toThrow(/checkGradients/);
  });

  it('only differentiates the inputs in wrt and leaks nothing', () => {
    const mask = randomMask([3, 4], 3);
    expectNoLeak(() => {
      const report = checkGradients((a, m) => tf.mul(a, m), [x, mask], { wrt: [0] });
      expect(report.inputs).toHaveLength(1);
    });
    expect(() => checkGradients((a) => a, [tf.zeros([2], 'int32')])).toThrow(/no float32 input/);
  });
});

describe('random tensors', () => {
  it('are reproducible from the seed and within range', () => {
    tf.tidy(() => {
      expect(randomTensor([5], 7).arraySync()).toEqual(randomTensor([5], 7).arraySync());
      expect(randomTensor([5], 7).arraySync()).not.toEqual(randomTensor([5], 8).arraySync());
      const values = randomTensor([100], 9, 2, 3).dataSync();
      expect(Math.min(...values)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...values)).toBeLessThan(3);
      const ints = randomIntTensor([100], 4, 10);
      expect(ints.dtype).toBe('int32');
      expect(new Set(ints.dataSync())).toEqual(new Set([0, 1, 2, 3]));
    });
  });

  it('distinctRandomTensor holds evenly spaced values in random order', () => {
    tf.tidy(() => {
      const values = Array.from(distinctRandomTensor([2, 3], 11, 0, 5).dataSync());
      expect([...values].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(values).not.toEqual([0, 1, 2, 3, 4, 5]);
    });
  });

  it('randomMask zeroes the requested rows', () => {
    tf.tidy(() => {
      const mask = randomMask([2, 3, 4], 12, 1, [1, 5]).arraySync() as number[][][];
      expect(mask[0][1]).toEqual([0, 0, 0, 0]);
      expect(mask[1][2]).toEqual([0, 0, 0, 0]);
      expect(mask[0][0]).toEqual([1, 1, 1, 1]);
    });
  });
});

describe('expectNoLeak', () => {
  it('passes when only returned tensors are created, and leaves inputs alone', () => {
    const input = tf.ones([2]);
    expectNoLeak(() => ({ a: tf.add(input, 1), b: [tf.mul(input, 2)] }));
    expectNoLeak(() => input); // passed through: not disposed
    expect(input.isDisposed).toBe(false);
    input.dispose();
  });

  it('throws when a tensor is left behind', () => {
    let kept: tf.Tensor | undefined;
    expect(() =>
      expectNoLeak(() => {
        kept = tf.ones([2]);
      }),
    ).toThrow(/grew from \d+ to \d+ \(1 tensor\(s\) leaked\)/);
    kept?.dispose();
  });

  it('handles async functions', async () => {
    await expectNoLeak(async () => tf.ones([3]));
    let kept: tf.Tensor | undefined;
    await expect(
      expectNoLeak(async () => {
        kept = tf.zeros([1]);
      }),
    ).rejects.toThrow(/leaked/);
    kept?.dispose();
  });
});

describe('naiveMatMul', () => {
  // a = [[1, 2, 3], [4, 5, 6]], b = [[7, 8], [9, 10], [11, 12]]: a @ b = [[58, 64], [139, 154]] (by hand).
  const a = [1, 2, 3, 4, 5, 6];
  const b = [7, 8, 9, 10, 11, 12];
  const aT = [1, 4, 2, 5, 3, 6]; // a stored transposed, [3, 2]
  const bT = [7, 9, 11, 8, 10, 12]; // b stored transposed, [2, 3]

  it('multiplies with each transpose flag pair', () => {
    const expected = [58, 64, 139, 154];
    expect([...naiveMatMul(a, [2, 3], false, b, [3, 2], false)]).toEqual(expected);
    expect([...naiveMatMul(aT, [3, 2], true, b, [3, 2], false)]).toEqual(expected);
    expect([...naiveMatMul(a, [2, 3], false, bT, [2, 3], true)]).toEqual(expected);
    expect([...naiveMatMul(aT, [3, 2], true, bT, [2, 3], true)]).toEqual(expected);
  });

  it('refuses operands whose inner dimensions differ', () => {
    expect(() => naiveMatMul(a, [2, 3], false, b, [2, 3], false)).toThrow(/inner dimensions differ \(3 vs 2\)/);
  });

  it('relativeToScale divides the largest difference by the largest expected magnitude', () => {
    expect(relativeToScale([1, -3.5, 2], [1, -4, 2])).toBe(0.5 / 4);
    expect(() => relativeToScale([1], [1, 2])).toThrow(/lengths differ/);
  });
});

describe('naive layers', () => {
  it('naiveDense is x kernel + bias, by hand', () => {
    expect(naiveDense([1, 2], [[1, 0, 2], [0, 1, -1]], [0.5, 0, 0])).toEqual([1.5, 2, 0]);
    expect(naiveDense([1, 2], [[1, 0, 2], [0, 1, -1]], null)).toEqual([1, 2, 0]);
  });

  it('naiveMlp runs the hidden layers through the activation (ReLU by default), the last one linear, a missing bias as 0', () => {
    const params = new Map<string, tf.Variable>([
      ['mlp.layers.0.kernel', tf.variable(tf.tensor2d([[1, -1]]))],
      ['mlp.layers.0.bias', tf.variable(tf.tensor1d([0, 0.5]))],
      ['mlp.layers.1.kernel', tf.variable(tf.tensor2d([[1], [1]]))],
    ]);
    // x = 2: pre-activations [2, -1.5]; ReLU [2, 0] -> 2; tanh -> tanh(2) + tanh(-1.5).
    expect(naiveMlp(params, 'mlp.', [2])).toEqual([2]);
    expect(naiveMlp(params, 'mlp.', [2], Math.tanh)[0]).toBeCloseTo(Math.tanh(2) + Math.tanh(-1.5), 12);
    tf.dispose([...params.values()]);
  });

  it('naiveSoftmax normalises and survives large logits', () => {
    const p = naiveSoftmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(naiveSoftmax([1000, 1000 + Math.log(3)])[1]).toBeCloseTo(0.75, 12);
  });

  it('maxAbsDiff compares nested arrays element by element, Infinity when the sizes differ', () => {
    expect(maxAbsDiff([[1, 2], [3]], [[1, 2.5], [2.75]])).toBe(0.5);
    expect(maxAbsDiff([1, 2], [1, 2, 3])).toBe(Infinity);
  });

  it('randomSpans gives count[b] spans of width 1..maxWidth inside each sentence', () => {
    const lists = randomSpans([5, 2], [40, 30], 3, new Rng(7));
    expect(lists.map((l) => l.length)).toEqual([40, 30]);
    lists.forEach((list, b) =>
      list.forEach(([start, end]) => {
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual([5, 2][b]);
        expect(end - start).toBeGreaterThanOrEqual(1);
        expect(end - start).toBeLessThanOrEqual(3);
      }),
    );
    expect(new Set(lists[0].map(([s, e]) => e - s)).size).toBe(3); // every width occurs
  });
});
