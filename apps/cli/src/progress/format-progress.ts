/** Text of a progress report: bar, counts, loss, speed and time left. */

/** `m:ss` or `h:mm:ss`; `--:--` when unknown (not finite). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** A rate with 3 significant figures: `12.3`, `0.456`, `1234`. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return '-';
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 10) return rate.toFixed(1);
  if (rate >= 1) return rate.toFixed(2);
  return rate.toPrecision(3);
}

/** Where a task stands. */
export interface ProgressState {
  /** What is being done, e.g. `epoch 2/20`. */
  label: string;
  done: number;
  total: number;
  /** Unit of `done`, singular, e.g. `step`. */
  unit: string;
  /** Units done per second (over this session), or NaN when unknown. */
  rate: number;
  /** Seconds since the task (re)started. */
  elapsed: number;
  /** A loss to show, if any. */
  loss?: number;
}

/**
 * One line of progress, e.g.
 * `epoch 2/20 [########------------] 45/100 steps  loss 1.2345  3.21 steps/s  ETA 0:17`
 * (`barWidth` 0 leaves the bar out; the ETA becomes the elapsed time when done).
 */
export function formatProgress(state: ProgressState, barWidth = 20): string {
  const { label, done, total, unit, rate, elapsed, loss } = state;
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const parts = [label];
  if (barWidth > 0) {
    const filled = Math.floor(fraction * barWidth); // a cell fills once reached
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`);
  }
  parts.push(`${done}/${total} ${unit}s`);
  if (loss !== undefined && Number.isFinite(loss)) parts.push(` loss ${loss.toFixed(4)}`);
  parts.push(` ${formatRate(rate)} ${unit}s/s`);
  parts.push(done >= total ? ` done in ${formatDuration(elapsed)}` : ` ETA ${formatDuration(rate > 0 ? (total - done) / rate : NaN)}`);
  return parts.join(' ');
}
