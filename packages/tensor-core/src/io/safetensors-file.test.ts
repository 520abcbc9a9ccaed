import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseModule } from '../module/module.js';
import { Rng } from '../init/rng.js';
import { glorotUniform } from '../init/initializers.js';
import { assignParameters, collectParameters, disposeNamedTensors } from './named-tensors.js';
import { loadSafetensors, saveSafetensors } from './safetensors-file.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'spanrel-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

class Layer extends BaseModule {
  readonly name = 'test-layer.v1';
  constructor(seed: number) {
    super();
    const rng = new Rng(seed);
    this.addParameter('kernel', glorotUniform()([4, 5], rng));
    this.addParameter('bias', tf.randomNormal([5], 0, 1, 'float32', rng.seed()));
  }
  config() {
    return {};
  }
}

describe('saveSafetensors / loadSafetensors', () => {
  it('a module saved to disk and loaded into a differently initialised one has identical weights', async () => {
    const trained = { encoder: new Layer(1), head: new Layer(2) };
    const fresh = { encoder: new Layer(3), head: new Layer(4) };
    const path = join(dir, 'model.safetensors');
    await saveSafetensors(path, collectParameters(trained), { step: '12' });
    expect(await readdir(dir)).toEqual(['model.safetensors']); // no temporary file left

    const before = tf.memory().numTensors;
    const { tensors, metadata } = await loadSafetensors(path);
    expect(metadata).toEqual({ step: '12' });
    assignParameters(collectParameters(fresh), tensors, { source: path });
    disposeNamedTensors(tensors);
    expect(tf.memory().numTensors).toBe(before);
    const want = collectParameters(trained);
    for (const [name, v] of collectParameters(fresh)) {
      expect(Array.from(v.dataSync()), name).toEqual(Array.from(want.get(name)!.dataSync()));
    }
    for (const m of [...Object.values(trained), ...Object.values(fresh)]) m.dispose();
  });

  it('loads only the selected tensors', async () => {
    const path = join(dir, 'select.safetensors');
    const a = tf.tensor1d([1, 2]);
    const b = tf.tensor1d([3], 'int32');
    await saveSafetensors(path, { a, b });
    const { tensors } = await loadSafetensors(path, { select: (n) => n === 'b' });
    expect([...tensors.keys()]).toEqual(['b']);
    expect(Array.from(tensors.get('b')!.dataSync())).toEqual([3]);
    tf.dispose([a, b, ...tensors.values()]);
  });

  it('errors name the file: missing, truncated on disk, unwritable directory', async () => {
    const missing = join(dir, 'nope.safetensors');
    await expect(loadSafetensors(missing)).rejects.toThrow(`safetensors ${missing}: cannot read`);

    const path = join(dir, 'cut.safetensors');
    const t = tf.tensor1d([1, 2, 3]);
    await saveSafetensors(path, { weights: t });
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 1));
    await expect(loadSafetensors(path)).rejects.toThrow(new RegExp(`safetensors ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: tensor "weights": data_offsets \\[0, 12\\] out of range`));

    const bad = join(dir, 'no-such-dir', 'x.safetensors');
    await expect(saveSafetensors(bad, { weights: t })).rejects.toThrow(`safetensors ${bad}: cannot write`);
    t.dispose();
  });
});
