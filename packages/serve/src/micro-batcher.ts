/**
 * Gathers the requests that arrive within a short window into one batch, so
 * that concurrent requests share one forward pass. A request is never split:
 * its items go into one batch and its answer is its own slice of the results.
 */

/** When a batch is run. */
export interface BatchingOptions {
  /** Longest a request waits for others to join its batch, in ms (default 5; 0 = the next turn of the event loop). */
  maxWaitMs: number;
  /** A batch runs as soon as it holds this many items (default 64); a larger request is a batch of its own. */
  maxBatchSize: number;
}

export const DEFAULT_BATCHING: BatchingOptions = { maxWaitMs: 5, maxBatchSize: 64 };

/** What one batch was, given to `onBatch`. */
export interface BatchInfo {
  /** Requests in the batch. */
  requests: number;
  /** Items (sentences) in the batch. */
  items: number;
  /** Time the batch function took, in ms. */
  ms: number;
}

interface Pending<I, O> {
  items: readonly I[];
  resolve(out: O[]): void;
  reject(error: unknown): void;
}

export class MicroBatcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private pendingItems = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private batchCount = 0;
  /** Set by `drain()`: from then on a request runs at once, waiting for no others. */
  private draining = false;
  private requestCount = 0;

  /**
   * @param run the batched work: one output per input item, in order (it may be synchronous)
   * @param onBatch called after each batch (counts, timing)
   */
  constructor(
    private readonly run: (items: I[]) => O[] | Promise<O[]>,
    private readonly options: BatchingOptions = DEFAULT_BATCHING,
    private readonly onBatch?: (info: BatchInfo) => void,
  ) {
    if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) throw new Error(`MicroBatcher: maxBatchSize must be a positive integer, got ${options.maxBatchSize}`);
    if (!(options.maxWaitMs >= 0)) throw new Error(`MicroBatcher: maxWaitMs must be >= 0, got ${options.maxWaitMs}`);
  }

  /** Batches run so far (each one call of `run`). */
  get batches(): number {
    return this.batchCount;
  }

  /** Requests submitted so far. */
  get requests(): number {
    return this.requestCount;
  }

  /** The outputs of `items`, computed in a batch with whatever else arrives within `maxWaitMs`. */
  submit(items: readonly I[]): Promise<O[]> {
    this.requestCount += 1;
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      // A request that would overflow the batch being gathered starts the next one.
      if (this.pendingItems > 0 && this.pendingItems + items.length > this.options.maxBatchSize) this.flush();
      this.pending.push({ items, resolve, reject });
      this.pendingItems += items.length;
      if (this.draining || this.pendingItems >= this.options.maxBatchSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /**
   * Runs the gathered requests now, and waits until every batch started so far
   * has finished. Requests submitted afterwards run at once (for shutdown).
   */
  async drain(): Promise<void> {
    this.draining = true;
    this.flush();
    await this.running;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.pendingItems = 0;
    this.running = this.running.then(() => this.runBatch(batch));
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    const items = batch.flatMap((p) => p.items);
    const started = performance.now();
    let outputs: O[];
    try {
      this.batchCount += 1;
      outputs = await this.run(items);
      if (outputs.length !== items.length) throw new Error(`MicroBatcher: the batch function gave ${outputs.length} outputs for ${items.length} items`);
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    const info: BatchInfo = { requests: batch.length, items: items.length, ms: performance.now() - started };
    let offset = 0;
    for (const p of batch) {
      p.resolve(outputs.slice(offset, offset + p.items.length));
      offset += p.items.length;
    }
    // A failing hook must neither lose these answers nor stop the batches after it.
    try {
      this.onBatch?.(info);
    } catch (error) {
      process.emitWarning(`MicroBatcher: onBatch threw: ${(error as Error).message}`);
    }
  }
}
