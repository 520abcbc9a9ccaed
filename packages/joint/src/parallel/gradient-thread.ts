import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GradientReply, GradientRequest } from './gradient-messages.js';

type StepReply = Extract<GradientReply, { type: 'gradients' }>;

/**
 * Where the worker's code is: `gradient-worker.js` beside the built module; from
 * the TypeScript sources (vitest), the package's build of it (`pnpm build`).
 */
export function gradientWorkerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/gradient-worker.js', here) : new URL('./gradient-worker.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) throw new Error(`@spanrel/joint: the gradient worker ${file} is missing; build the package first (pnpm build)`);
  return file;
}

/**
 * One gradient worker thread and its request in flight (`init`, then one `step`
 * at a time). A request fails with an error naming the worker and what it was
 * doing (`gradient worker 1/2 (shard 1/3 (sentences 1-2 of the batch)): ...`);
 * a crash or an early exit of the thread fails the pending request and every
 * later one with what happened.
 */
export class GradientThread {
  private readonly worker: Worker;
  private pending: { what: string; resolve: (r: GradientReply) => void; reject: (e: Error) => void } | null = null;
  private failure: string | null = null;
  private closing = false;

  constructor(readonly label: string) {
    this.worker = new Worker(gradientWorkerFile());
    this.worker.on('message', (reply: GradientReply) => this.answer(reply));
    this.worker.on('error', (e) => this.fail(e.message));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(`the worker thread exited (code ${code})`);
    });
  }

  /** Builds the worker's model and attaches the shared buffers. */
  async init(request: Extract<GradientRequest, { type: 'init' }>): Promise<void> {
    await this.send('loading the model', request);
  }

  /** Computes the gradients of one shard (written into the worker's gradient buffer); `what` names the shard in errors. */
  step(request: Extract<GradientRequest, { type: 'step' }>, what: string): Promise<StepReply> {
    return this.send(what, request) as Promise<StepReply>;
  }

  /** Stops the thread (a pending request fails). */
  async close(): Promise<void> {
    this.closing = true;
    this.fail('closed with a request pending');
    await this.worker.terminate();
  }

  private error(what: string, reason: string): Error {
    return new Error(`${this.label} (${what}): ${reason}`);
  }

  private send(what: string, request: GradientRequest): Promise<GradientReply> {
    if (this.failure !== null) return Promise.reject(this.error(what, this.failure));
    if (this.pending) return Promise.reject(this.error(what, 'a request is already in flight'));
    return new Promise<GradientReply>((resolve, reject) => {
      this.pending = { what, resolve, reject };
      this.worker.postMessage(request);
    });
  }

  private answer(reply: GradientReply): void {
    const waiting = this.pending;
    if (!waiting) return;
    this.pending = null;
    if (reply.type === 'error') waiting.reject(this.error(waiting.what, reply.message));
    else waiting.resolve(reply);
  }

  private fail(reason: string): void {
    this.failure ??= reason;
    const waiting = this.pending;
    this.pending = null;
    waiting?.reject(this.error(waiting.what, reason));
  }
}
