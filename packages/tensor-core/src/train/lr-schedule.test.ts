import { describe, expect, it } from 'vitest';
import { constantSchedule, linearWarmupDecaySchedule, makeLrSchedule, stepDecaySchedule } from './lr-schedule.js';

describe('linearWarmupDecaySchedule', () => {
  it('rises linearly to the peak over warmupProportion * totalSteps, then falls linearly to 0', () => {
    const lr = linearWarmupDecaySchedule(1, 10, 0.2); // W = 2, decay over 8 steps
    const expected = [0, 0.5, 1, 7 / 8, 6 / 8, 5 / 8, 4 / 8, 3 / 8, 2 / 8, 1 / 8, 0, 0];
    expected.forEach((e, step) => expect(lr(step)).toBeCloseTo(e, 12));
  });

  it('does not round a fractional warmup length (as SpERT passes lr_warmup * updates_total)', () => {
    const lr = linearWarmupDecaySchedule(2, 10, 0.25); // W = 2.5
    expect(lr(0)).toBe(0);
    expect(lr(1)).toBeCloseTo((2 * 1) / 2.5, 12);
    expect(lr(2)).toBeCloseTo((2 * 2) / 2.5, 12);
    expect(lr(3)).toBeCloseTo((2 * (10 - 3)) / 7.5, 12);
  });

  it('without warmup starts at the peak', () => {
    const lr = linearWarmupDecaySchedule(5e-5, 4, 0);
    expect([0, 1, 2, 3, 4].map(lr)).toEqual([5e-5, 5e-5 * 0.75, 5e-5 * 0.5, 5e-5 * 0.25, 0]);
  });
});

describe('stepDecaySchedule', () => {
  it('anneals by 1% every 100 iterations by default (Dixit et al. 2019)', () => {
    const lr = stepDecaySchedule(1e-3);
    expect(lr(0)).toBe(1e-3);
    expect(lr(99)).toBe(1e-3);
    expect(lr(100)).toBeCloseTo(0.99e-3, 15);
    expect(lr(199)).toBeCloseTo(0.99e-3, 15);
    expect(lr(250)).toBeCloseTo(1e-3 * 0.99 * 0.99, 15);
    expect(lr(10_000)).toBeCloseTo(1e-3 * Math.exp(100 * Math.log(0.99)), 15);
  });
});

describe('makeLrSchedule', () => {
  it('builds every kind from its JSON config', () => {
    expect(makeLrSchedule({ kind: 'constant', lr: 0.1 })(1234)).toBe(0.1);
    expect(makeLrSchedule({ kind: 'step-decay', lr: 1, factor: 0.5, every: 3 })(7)).toBe(0.25);
    expect(makeLrSchedule({ kind: 'linear-warmup-decay', peakLr: 1, totalSteps: 10, warmupProportion: 0.2 })(1)).toBe(0.5);
    // JSON round trip of a config gives the same schedule
    const config = JSON.parse(JSON.stringify({ kind: 'step-decay', lr: 2 }));
    expect(makeLrSchedule(config)(100)).toBeCloseTo(1.98, 12);
  });

  it('names the unknown kind and bad fields', () => {
    expect(() => makeLrSchedule({ kind: 'cosine' } as never)).toThrow(/unknown "kind" "cosine".*linear-warmup-decay/);
    expect(() => makeLrSchedule({ kind: 'linear-warmup-decay', peakLr: 1, totalSteps: 0, warmupProportion: 0.1 })).toThrow(/"totalSteps"/);
    expect(() => makeLrSchedule({ kind: 'linear-warmup-decay', peakLr: 1, totalSteps: 5, warmupProportion: 1.5 })).toThrow(/"warmupProportion"/);
    expect(() => makeLrSchedule({ kind: 'step-decay', lr: 1, every: 0 })).toThrow(/"every"/);
    expect(() => constantSchedule(-1)).toThrow(/"lr"/);
    expect(() => constantSchedule(1)(-1)).toThrow(/step/);
  });
});
