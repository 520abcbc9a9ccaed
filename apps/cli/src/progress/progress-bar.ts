import { formatProgress } from './format-progress.js';

/** Where progress is written: `process.stderr`, or anything with `write`. */
export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal: the bar is redrawn in place. Otherwise plain lines are written now and then. */
  isTTY?: boolean;
  /** Terminal width, to keep the line from wrapping. */
  columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  label: string;
  total: number;
  /** Singular unit, e.g. `step`. Default `step`. */
  unit?: string;
  /** Units already done when the bar starts (a resumed epoch): shown, but not counted in the speed. */
  startAt?: number;
  /** Default `process.stderr`. */
  stream?: ProgressStream;
  /** Clock in ms (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
  /** Without a terminal: a line at every this many percent (default 10) ... */
  plainPercent?: number;
  /** ... and at least every this many seconds (default 30). */
  plainSeconds?: number;
}

/**
 * A progress bar with loss, speed and time left, on stderr. On a terminal it
 * redraws one line in place (at most 10 times a second); otherwise (a log file,
 * a CI job) it writes a plain line every `plainPercent` percent or every
 * `plainSeconds` seconds, so logs stay short and readable.
 *
 * ```ts
 * const bar = new ProgressBar({ label: 'epoch 1/20', total: 461 });
 * bar.update(1, 2.31); ... bar.finish();
 * ```
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly start: number;
  private readonly startAt: number;
  private readonly unit: string;
  private readonly plainPercent: number;
  private readonly plainSeconds: number;
  private done: number;
  private loss: number | undefined;
  private lastDraw = -Infinity;
  private lastPlainBucket: number;
  private finished = false;

  constructor(private readonly options: ProgressBarOptions) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.start = this.now();
    this.startAt = options.startAt ?? 0;
    this.done = this.startAt;
    this.unit = options.unit ?? 'step';
    this.plainPercent = options.plainPercent ?? 10;
    this.plainSeconds = options.plainSeconds ?? 30;
    this.lastPlainBucket = this.bucketOf(this.done);
  }

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  private bucketOf(done: number): number {
    return this.options.total > 0 ? Math.floor((done / this.options.total) * (100 / this.plainPercent)) : 0;
  }

  private line(): string {
    const elapsed = (this.now() - this.start) / 1000;
    const rate = elapsed > 0 ? (this.done - this.startAt) / elapsed : NaN;
    const text = formatProgress({ label: this.options.label, done: this.done, total: this.options.total, unit: this.unit, rate, elapsed, loss: this.loss }, this.tty ? 20 : 0);
    const width = this.stream.columns;
    return this.tty && width && text.length >= width ? text.slice(0, width - 1) : text;
  }

  /** Sets the units done (and the loss to show), redrawing when due. */
  update(done: number, loss?: number): void {
    this.done = done;
    if (loss !== undefined) this.loss = loss;
    const t = this.now();
    if (this.tty) {
      if (t - this.lastDraw >= 100 || done >= this.options.total) {
        this.stream.write(`\r${this.line()}\x1b[K`);
        this.lastDraw = t;
      }
      return;
    }
    const bucket = this.bucketOf(done);
    if ((bucket > this.lastPlainBucket && done < this.options.total) || (t - this.lastDraw) / 1000 >= this.plainSeconds) {
      this.stream.write(`${this.line()}\n`);
      this.lastPlainBucket = bucket;
      this.lastDraw = t;
    }
  }

  /** Writes the final state and ends the line. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stream.write(this.tty ? `\r${this.line()}\x1b[K\n` : `${this.line()}\n`);
  }
}
