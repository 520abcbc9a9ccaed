import { rm } from 'node:fs/promises';
import { saveModel } from '../io/model-folder.js';
import type { DevPredictor } from '../training/dev-evaluation.js';
import { defaultPredictWorkers, ShardedPredictor, type ShardedPredictorOptions } from './sharded-predictor.js';

/** A {@link DevPredictor} on worker threads, and how to stop them. */
export interface ShardedDevPredictor {
  predictDev: DevPredictor;
  /** Stops the worker threads and removes the snapshot folder. */
  close(): Promise<void>;
}

/**
 * The dev prediction of `train` on every core: before each evaluation the
 * model being trained is saved to `snapshotDir` (e.g. `<outDir>/dev-snapshot`),
 * the worker threads load it, and they and the training thread predict the dev
 * sentences in chunks. With 0 workers (`options.workers`, else
 * `defaultPredictWorkers(model)`) it is `model.predict` on this thread.
 *
 * ```ts
 * const dev = shardedDevPredictor(join(outDir, 'dev-snapshot'));
 * try { await train({ ...options, predictDev: dev.predictDev }); } finally { await dev.close(); }
 * ```
 */
export function shardedDevPredictor(snapshotDir: string, options: ShardedPredictorOptions = {}): ShardedDevPredictor {
  let predictor: ShardedPredictor | null = null;
  return {
    async predictDev(model, dev, stats) {
      const workers = options.workers ?? defaultPredictWorkers(model);
      if (workers === 0) return model.predict(dev, { stats });
      await saveModel(model, snapshotDir);
      if (predictor) await predictor.load(snapshotDir);
      else predictor = await ShardedPredictor.start(snapshotDir, { ...options, workers });
      return predictor.predict(model, dev, { stats });
    },
    async close() {
      await predictor?.close();
      predictor = null;
      await rm(snapshotDir, { recursive: true, force: true });
    },
  };
}
