import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PredictReply, PredictRequest } from './predict-messages.js';

type Answer = Exclude<PredictReply, { type: 'error' }>;

/**
 * Where the worker's code is: `predict-worker.js` beside the built module; from
 * the TypeScript sources (vitest), the package's build of it (`pnpm build`).
 */
export function predictWorkerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/predict-worker.js', here) : new URL('./predict-worker.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) throw new Error(`@spanrel/joint: the prediction worker ${file} is missing; build the package first (pnpm build)`);
  return file;
}

/**
 * One prediction worker thread and its requests in flight: each request is
 * answered by the reply with its id (`load` by `loaded`); a crash or an early
 * exit of the thread fails every pending request with what happened.
 */
export class PredictThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;

  constructor(readonly label: string) {
    this.worker = new Worker(predictWorkerFile());
    this.worker.on('message', (reply: PredictReply) => this.answer(reply));
    this.worker.on('error', (e) => this.fail(new Error(`${this.label}: ${e.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`${this.label}: the worker thread exited (code ${code}) with requests pending`));
    });
  }

  /** Loads a model folder into the thread (starting `backend` on first use). */
  load(dir: string, backend: string, fused: boolean): Promise<void> {
    return this.send(0, { type: 'load', dir, backend, fused }).then(() => undefined);
  }

  /** Predicts sentences in the thread. */
  predict(request: Omit<Extract<PredictRequest, { type: 'predict' }>, 'type' | 'id'>): Promise<Extract<PredictReply, { type: 'result' }>> {
    const id = this.nextId++;
    return this.send(id, { type: 'predict', id, ...request }) as Promise<Extract<PredictReply, { type: 'result' }>>;
  }

  /** Stops the thread (pending requests fail). */
  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error(`${this.label}: closed with requests pending`));
    await this.worker.terminate();
  }

  private send(id: number, request: PredictRequest): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.has(id)) return Promise.reject(new Error(`${this.label}: request ${id} is already in flight`));
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }

  private answer(reply: PredictReply): void {
    const id = reply.type === 'result' ? reply.id : reply.type === 'loaded' ? 0 : (reply.id ?? 0);
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (reply.type === 'error') waiting.reject(new Error(`${this.label}: ${reply.message}`));
    else waiting.resolve(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
