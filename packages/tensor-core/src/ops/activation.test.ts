import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, randomTensor } from '../testing/index.js';
import { ACTIVATIONS, activate, isActivationName } from './activation.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), independent of tfjs. */
function erf(v: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(v));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
  return v >= 0 ? y : -y;
}

const naive: Record<string, (v: number) => number> = {
  linear: (v) => v,
  relu: (v) => Math.max(0, v),
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

describe('activate', () => {
  const x = randomTensor([4, 5], 81, -3, 3);

  it.each(ACTIVATIONS.map((a) => [a]))('%s matches a plain-JS formula and has correct gradients', (name) => {
    const actual = tf.tidy(() => activate(x, name).dataSync());
    x.dataSync().forEach((v, i) => expect(actual[i]).toBeCloseTo(naive[name](v), 5));
    checkGradients((a) => activate(a, name), [x], { eps: 1e-3 });
  });

  it('knows its names', () => {
    expect(isActivationName('gelu')).toBe(true);
    expect(isActivationName('swish')).toBe(false);
    expect(() => activate(x, 'swish' as never)).toThrow(/unknown activation "swish"/);
  });
});
