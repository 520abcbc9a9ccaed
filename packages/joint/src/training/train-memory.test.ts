import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '@spanrel/tensor-core';
import { PRESET_NAMES } from '../config/presets.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { train } from './train.js';

/**
 * Memory over a training run: what is live after each epoch (training, dev
 * evaluation, best-model save, checkpoint) is the same from epoch to epoch, and
 * nothing is left once the run is over. A leak of one tensor per step or per
 * epoch would grow a long run's memory without bound.
 */
const root = mkdtempSync(join(tmpdir(), 'spanrel-joint-train-memory-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`training memory on ${backend}`, () => {
    for (const presetName of PRESET_NAMES) {
      it(`${presetName}: the same live tensors and bytes after every epoch, none after the run`, async () => {
        await initBackend({ backend });
        const before = tf.memory();
        const afterEpoch: Array<{ tensors: number; bytes: number }> = [];
        const spec = tinySpec(presetName, { training: { epochs: 3, batchSize: 2 } });
        const result = await train({
          spec,
          schema: TINY_SCHEMA,
          train: tinyCorpus(6, 3),
          dev: tinyCorpus(3, 8),
          outDir: join(root, `${backend}-${presetName}`),
          onEvent: (e) => {
            if (e.type === 'epoch-end') afterEpoch.push({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes });
          },
        });
        result.model.dispose();
        expect(afterEpoch).toHaveLength(3);
        expect(afterEpoch[1]).toEqual(afterEpoch[0]);
        expect(afterEpoch[2]).toEqual(afterEpoch[0]);
        expect(tf.memory().numTensors).toBe(before.numTensors);
        expect(tf.memory().numBytes).toBe(before.numBytes);
      }, 120_000);
    }
  });
}
