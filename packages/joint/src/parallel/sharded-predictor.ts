import { availableParallelism } from 'node:os';
import type { Document } from '@spanrel/datasets';
import { backendInfo, fusedKernelsEnabled } from '@spanrel/tensor-core';
import { emptyDecodeStats, type DecodeStats, type SentenceInput } from '../decoding/decode.js';
import type { JointModel } from '../model/joint-model.js';
import { PredictThread } from './predict-thread.js';
import { chunkSentences } from './shard-plan.js';

/** Options of {@link ShardedPredictor.start}. */
export interface ShardedPredictorOptions {
  /** Worker threads beside the calling thread; default {@link defaultPredictWorkers} (without a model). */
  workers?: number;
  /** Sentences per chunk a thread takes at a time; default 32. */
  chunkSize?: number;
}

/** Options of {@link ShardedPredictor.predict}. */
export interface ShardedPredictOptions {
  withTags?: boolean;
  /** Decoding counts, summed over the chunks (see `DecodeStats`). */
  stats?: DecodeStats;
  /** Called after each chunk with the sentences predicted so far. */
  onProgress?: (done: number) => void;
}

/**
 * Worker threads a prediction should use beside the calling thread: one per
 * further core (at most 7) on the single-threaded wasm and cpu backends; none
 * on tfjs-node or a threaded wasm backend, which already run every core, nor for a `model` whose encoder
 * infers on onnxruntime (a BERT encoder: its session already runs every core,
 * and the encoder is most of the time).
 */
export function defaultPredictWorkers(model?: JointModel): number {
  const info = backendInfo();
  if (info?.choice === 'tfjs-node' || info?.choice === 'tfjs-node-gpu') return 0;
  if (info && info.threads > 1) return 0; // a threaded wasm backend (SPANREL_WASM_THREADS) already uses the cores
  if ((model?.encoder as { inferencePath?: () => string } | undefined)?.inferencePath?.() === 'onnxruntime') return 0;
  return Math.max(0, Math.min(7, availableParallelism() - 1));
}

/** Adds `part`'s decoding counts to `into`. */
function addDecodeStats(into: DecodeStats, part: DecodeStats): void {
  into.sentences += part.sentences;
  into.cappedSentences += part.cappedSentences;
  into.droppedSpans += part.droppedSpans;
  into.keptSpans += part.keptSpans;
  into.pairs += part.pairs;
  into.maxKeptInSentence = Math.max(into.maxKeptInSentence, part.maxKeptInSentence);
}

/**
 * Prediction on every core (the wasm backend runs one thread): worker threads
 * that each load the model folder, plus the calling thread with the model it
 * already holds. The sentences are cut into chunks that the threads take in
 * turn; the documents come back in input order, the same as
 * `model.predict(sentences)` gives (each sentence is decoded on its own).
 *
 * ```ts
 * const predictor = await ShardedPredictor.start('runs/x/model');
 * const docs = await predictor.predict(model, sentences); // model: loadModel('runs/x/model')
 * await predictor.close();
 * ```
 *
 * Node only (worker_threads); in a browser use `model.predict`.
 */
export class ShardedPredictor {
  /** Chunks each thread predicted in the last {@link predict}: the calling thread, then each worker. */
  lastChunkCounts: { caller: number; workers: number[] } = { caller: 0, workers: [] };

  private constructor(
    private readonly threads: PredictThread[],
    private readonly chunkSize: number,
  ) {}

  /** Starts the worker threads and loads the model folder `dir` in each (the calling thread's backend and fused switch). */
  static async start(dir: string, options: ShardedPredictorOptions = {}): Promise<ShardedPredictor> {
    const workers = options.workers ?? defaultPredictWorkers();
    const chunkSize = options.chunkSize ?? 32;
    if (!Number.isInteger(workers) || workers < 0) throw new Error(`ShardedPredictor: workers must be an integer >= 0, got ${workers}`);
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`ShardedPredictor: chunkSize must be an integer >= 1, got ${chunkSize}`);
    const threads = Array.from({ length: workers }, (_, i) => new PredictThread(`prediction worker ${i + 1}/${workers}`));
    const predictor = new ShardedPredictor(threads, chunkSize);
    try {
      await predictor.load(dir);
    } catch (e) {
      await predictor.close();
      throw e;
    }
    return predictor;
  }

  /** Worker threads beside the calling one. */
  get workers(): number {
    return this.threads.length;
  }

  /** (Re)loads the model folder `dir` in every worker, e.g. after another epoch of training. */
  async load(dir: string): Promise<void> {
    const backend = backendInfo()?.name ?? 'auto';
    await Promise.all(this.threads.map((t) => t.load(dir, backend === 'tensorflow' ? 'tensorflow' : backend, fusedKernelsEnabled())));
  }

  /**
   * Predicts `sentences` with `model` in the calling thread and the workers'
   * copies of it (which must be the model of the folder they loaded).
   */
  async predict(model: JointModel, sentences: readonly SentenceInput[], options: ShardedPredictOptions = {}): Promise<Document[]> {
    const withTags = options.withTags === true;
    const chunks = chunkSentences(sentences.length, this.chunkSize, this.threads.length + 1);
    const results: Document[][] = new Array(chunks.length);
    const stats = options.stats;
    const counts = { caller: 0, workers: this.threads.map(() => 0) };
    this.lastChunkCounts = counts;
    let next = 0;
    let done = 0;
    const finished = (index: number, documents: Document[], part: DecodeStats) => {
      results[index] = documents;
      if (stats) addDecodeStats(stats, part);
      done += documents.length;
      options.onProgress?.(done);
    };
    // Each worker keeps two chunks in flight, so it never waits while the calling thread is busy predicting.
    const workerLoop = async (thread: PredictThread, w: number) => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        const reply = await thread.predict({ sentences: sentences.slice(chunk.start, chunk.end), withTags });
        counts.workers[w] += 1;
        finished(chunk.index, reply.documents, reply.stats);
      }
    };
    const callerLoop = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++];
        const part = emptyDecodeStats();
        const slice = sentences.slice(chunk.start, chunk.end);
        counts.caller += 1;
        finished(chunk.index, withTags ? model.predict(slice, { withTags: true, stats: part }) : model.predict(slice, { stats: part }), part);
        await new Promise((resolve) => setImmediate(resolve)); // let the workers' answers in
      }
    };
    const loops = this.threads.flatMap((t, w) => [workerLoop(t, w), workerLoop(t, w)]); // started first: they post before the caller computes
    await Promise.all([...loops, callerLoop()]);
    return results.flat();
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
