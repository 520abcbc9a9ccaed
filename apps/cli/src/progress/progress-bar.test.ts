import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, formatRate } from './format-progress.js';
import { ProgressBar } from './progress-bar.js';

describe('formatProgress', () => {
  it('shows the bar, counts, loss, speed and the time left', () => {
    // 45 of 100 steps at 3 steps/s: 55 left -> 18.3 s -> 0:18.
    expect(formatProgress({ label: 'epoch 2/20', done: 45, total: 100, unit: 'step', rate: 3, elapsed: 15, loss: 1.23456 }, 10)).toBe(
      'epoch 2/20 [####------] 45/100 steps  loss 1.2346  3.00 steps/s  ETA 0:18',
    );
    expect(formatProgress({ label: 'dev', done: 8, total: 8, unit: 'sentence', rate: 0.5, elapsed: 3725 }, 0)).toBe('dev 8/8 sentences  0.500 sentences/s  done in 1:02:05');
    expect(formatProgress({ label: 'x', done: 0, total: 5, unit: 'step', rate: NaN, elapsed: 0 }, 0)).toBe('x 0/5 steps  - steps/s  ETA --:--');
  });

  it('formats durations and rates', () => {
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect([formatRate(1234.5), formatRate(12.34), formatRate(1.234), formatRate(0.01234)]).toEqual(['1235', '12.3', '1.23', '0.0123']);
  });
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 200, write: (t: string) => writes.push(t) } };
}

describe('ProgressBar', () => {
  it('writes plain lines at every 10 % (and at the end) when not on a terminal', () => {
    let clock = 0;
    const { writes, stream } = fakeStream(false);
    const bar = new ProgressBar({ label: 'epoch 1/1', total: 20, stream, now: () => clock, plainSeconds: 1e9 });
    for (let i = 1; i <= 20; i++) {
      clock += 500; // 2 steps/s
      bar.update(i, 1 / i);
    }
    bar.finish();
    expect(writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
    // first update, then 10 %, 20 %, ... 90 % (steps 2, 4, ... 18), then the final line
    expect(writes).toHaveLength(1 + 9 + 1);
    expect(writes[1]).toBe('epoch 1/1 2/20 steps  loss 0.5000  2.00 steps/s  ETA 0:09\n');
    expect(writes.at(-1)).toBe('epoch 1/1 20/20 steps  loss 0.0500  2.00 steps/s  done in 0:10\n');
  });

  it('redraws one line in place on a terminal, at most 10 times a second, counting speed from where it resumed', () => {
    let clock = 0;
    const { writes, stream } = fakeStream(true);
    const bar = new ProgressBar({ label: 'e', total: 100, startAt: 50, stream, now: () => clock });
    for (let i = 51; i <= 100; i++) {
      clock += 50; // 20 steps/s
      bar.update(i);
    }
    bar.finish();
    expect(writes.every((w) => w.startsWith('\r'))).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(50 / 2 + 2);
    expect(writes.at(-1)).toBe('\re [####################] 100/100 steps  20.0 steps/s  done in 0:03\x1b[K\n');
  });
});
