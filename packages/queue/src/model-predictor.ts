/** A `ShardPredictor` over a loaded spanrel model. */
import type { Document } from '@spanrel/datasets';
import type { JointModel, SentenceInput } from '@spanrel/joint';
import type { ShardPredictor } from './predict-shard.js';

/** Yields to the event loop (timers, Redis replies, signals). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Predicts with `model.predict`, `sliceSize` sentences at a time, yielding to the event
 * loop between slices. Prediction is synchronous on the CPU backends: without the pauses a
 * long shard would block the timer that renews the job's lock, BullMQ would take the job
 * for stalled and give it to a second worker, and signals would wait for the whole shard.
 */
export function modelPredictor(model: JointModel, sliceSize = 16): ShardPredictor {
  if (!Number.isInteger(sliceSize) || sliceSize < 1) throw new Error(`modelPredictor: sliceSize must be a positive integer, got ${sliceSize}`);
  return async (sentences: readonly SentenceInput[]) => {
    const out: Document[] = [];
    for (let start = 0; start < sentences.length; start += sliceSize) {
      out.push(...model.predict(sentences.slice(start, start + sliceSize)));
      await yieldToEventLoop();
    }
    return out;
  };
}
