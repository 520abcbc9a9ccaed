import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, expectNoLeak, randomIntTensor, randomTensor } from '../testing/index.js';
import { pairGather } from './pair-gather.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('pairGather', () => {
  const reps = randomTensor([2, 4, 3], 51) as tf.Tensor3D; // [B, S, D]
  const pairs = randomIntTensor([2, 5, 2], 4, 52) as tf.Tensor3D; // [B, P, 2]

  it('matches a naive loop', () => {
    const r = reps.arraySync();
    const p = pairs.arraySync();
    const { head, tail } = pairGather(reps, pairs);
    expect(head.shape).toEqual([2, 5, 3]);
    expect(head.arraySync()).toEqual(p.map((pb, b) => pb.map(([i]) => r[b][i])));
    expect(tail.arraySync()).toEqual(p.map((pb, b) => pb.map(([, j]) => r[b][j])));
    tf.dispose([head, tail]);
  });

  it('rejects pairs that are not [B, P, 2]', () => {
    expect(() => pairGather(reps, tf.zeros([2, 5, 3], 'int32') as tf.Tensor3D)).toThrow(/pairGather: pairs must be \[B, P, 2\]/);
  });

  it('has numerically correct gradients', () => {
    checkGradients((a) => {
      const { head, tail } = pairGather(a as tf.Tensor3D, pairs);
      return tf.concat([head, tail, tf.mul(head, tail)], -1); // Dixit's [g_i; g_j; g_i * g_j]
    }, [reps]);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => pairGather(reps, pairs));
  });
});
