import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BaseModule } from '../module/module.js';
import { assignParameters, collectParameters, disposeNamedTensors } from './named-tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny two-level module: own kernel + bias, and a child with a gain. */
class Norm extends BaseModule {
  readonly name = 'test-norm.v1';
  constructor(fill: number) {
    super();
    this.addParameter('gain', tf.fill([3], fill));
  }
  config() {
    return {};
  }
}
class Dense extends BaseModule {
  readonly name = 'test-dense.v1';
  constructor(fill: number) {
    super();
    this.addParameter('kernel', tf.fill([2, 3], fill));
    this.addParameter('bias', tf.fill([3], fill));
    this.addChild('norm', new Norm(fill));
  }
  config() {
    return {};
  }
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

describe('collectParameters', () => {
  it('names one module\'s parameters as it does, and several modules\' under their prefixes', () => {
    const a = new Dense(1);
    const b = new Norm(2);
    expect([...collectParameters(a).keys()]).toEqual(['kernel', 'bias', 'norm.gain']);
    const all = collectParameters({ encoder: a, head: b });
    expect([...all.keys()]).toEqual(['encoder.kernel', 'encoder.bias', 'encoder.norm.gain', 'head.gain']);
    expect(all.get('head.gain')).toBe(b.parameters().get('gain'));
    a.dispose();
    b.dispose();
  });
});

describe('assignParameters', () => {
  it('copies values by name; the source tensors can be disposed afterwards', () => {
    const target = new Dense(0);
    const source = new Map<string, tf.Tensor>([
      ['kernel', tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])],
      ['bias', tf.tensor1d([7, 8, 9])],
      ['norm.gain', tf.tensor1d([-1, -2, -3])],
    ]);
    const report = assignParameters(target, source);
    expect(report).toEqual({ assigned: ['kernel', 'bias', 'norm.gain'], missing: [], unexpected: [] });
    disposeNamedTensors(source);
    const p = target.parameters();
    expect(Array.from(p.get('kernel')!.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(p.get('bias')!.dataSync())).toEqual([7, 8, 9]);
    expect(Array.from(p.get('norm.gain')!.dataSync())).toEqual([-1, -2, -3]);
    target.dispose();
  });

  it('names every missing, unexpected and mismatched tensor at once and assigns nothing', () => {
    const target = new Dense(0);
    const source = new Map<string, tf.Tensor>([
      ['kernel', tf.ones([3, 2])],
      ['bias', tf.ones([3], 'int32')],
      ['pooler.dense', tf.ones([1])],
      ['extra', tf.ones([1])],
    ]);
    const message = errorOf(() => assignParameters(target, source, { source: 'ckpt/weights.safetensors' }));
    expect(message).toMatch(/^assignParameters from ckpt\/weights\.safetensors: /);
    expect(message).toMatch(/missing 1: "norm\.gain"/);
    expect(message).toMatch(/unexpected 2: "pooler\.dense", "extra"/);
    expect(message).toMatch(/"kernel": shape \[3,2\] != parameter shape \[2,3\]/);
    expect(message).toMatch(/"bias": dtype int32 != parameter dtype float32/);
    for (const v of target.parameters().values()) expect(Array.from(v.dataSync()).every((x) => x === 0)).toBe(true);
    disposeNamedTensors(source);
    target.dispose();
  });

  it('reports missing and unexpected names when they are allowed', () => {
    const target = new Dense(0);
    const source = new Map<string, tf.Tensor>([
      ['kernel', tf.ones([2, 3])],
      ['pooler.dense', tf.ones([1])],
    ]);
    const report = assignParameters(target.parameters(), source, { allowMissing: true, allowUnexpected: true });
    expect(report).toEqual({ assigned: ['kernel'], missing: ['bias', 'norm.gain'], unexpected: ['pooler.dense'] });
    expect(Array.from(target.parameters().get('kernel')!.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(target.parameters().get('bias')!.dataSync())).toEqual([0, 0, 0]);
    disposeNamedTensors(source);
    target.dispose();
  });
});
