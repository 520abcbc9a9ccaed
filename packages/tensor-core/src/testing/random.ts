import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/rng.js';

/**
 * A float32 tensor of uniform values in `[min, max)`, drawn from a seeded {@link Rng}
 * in plain JS (independent of tfjs's own random ops, so a test's expectation
 * does not share code with the thing under test).
 */
export function randomTensor(shape: number[], seed: number, min = -1, max = 1): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => min + (max - min) * rng.next());
  return tf.tensor(values, shape, 'float32');
}

/**
 * A float32 tensor whose entries are a random permutation of evenly spaced values
 * in `[min, max]`, so no two entries are closer than `(max - min) / (size - 1)`.
 * Use it for max / argmax style ops under finite differences, where near-ties
 * would make the numeric gradient jump.
 */
export function distinctRandomTensor(shape: number[], seed: number, min = -1, max = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const step = size > 1 ? (max - min) / (size - 1) : 0;
  const values = new Rng(seed).shuffle(Array.from({ length: size }, (_, i) => min + i * step));
  return tf.tensor(values, shape, 'float32');
}

/** An int32 tensor of uniform integers in `[0, maxExclusive)`. */
export function randomIntTensor(shape: number[], maxExclusive: number, seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Int32Array.from({ length: size }, () => rng.int(maxExclusive)), shape, 'int32');
}

/**
 * A float32 0/1 mask where each entry is 1 with probability `keepProbability`.
 * `fullyMaskedRows` lists flat row numbers (over all axes but the last) to zero
 * completely, so every masked-op test can include the fully masked case.
 */
export function randomMask(shape: number[], seed: number, keepProbability = 0.7, fullyMaskedRows: number[] = []): tf.Tensor {
  const rng = new Rng(seed);
  const rowLength = shape[shape.length - 1] ?? 1;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => (rng.next() < keepProbability ? 1 : 0));
  for (const row of fullyMaskedRows) values.fill(0, row * rowLength, (row + 1) * rowLength);
  return tf.tensor(values, shape, 'float32');
}
