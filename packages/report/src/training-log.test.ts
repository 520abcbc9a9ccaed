import { describe, expect, it } from 'vitest';
import { parseTrainingLog } from './training-log.js';

const line = (epoch: number, dev: unknown) => JSON.stringify({ epoch, steps: 5, loss: 1 / epoch, entityLoss: 0.5, relationLoss: 0.25, lr: 0.001, dev, best: epoch === 2 });

describe('parseTrainingLog', () => {
  it('reads the epochs of train-log.jsonl', () => {
    const scores = { precision: 50, recall: 40, f1: 44.44 };
    const log = parseTrainingLog(`${line(1, { ner: scores, re: scores, rePlus: scores })}\n${line(2, null)}\n`, 'run/train-log.jsonl');
    expect(log).toEqual([
      { epoch: 1, loss: 1, entityLoss: 0.5, relationLoss: 0.25, dev: { ner: scores, re: scores, rePlus: scores }, best: false },
      { epoch: 2, loss: 0.5, entityLoss: 0.5, relationLoss: 0.25, dev: null, best: true },
    ]);
  });

  it('names the file and the line of a bad record', () => {
    expect(() => parseTrainingLog(`${line(1, null)}\n{"epoch": 2,`, 'run/train-log.jsonl')).toThrow(/^run\/train-log\.jsonl: line 2 is not JSON/);
    expect(() => parseTrainingLog('{"epoch": 1}', 'log')).toThrow('log: line 1 has no numeric "epoch" and "loss"');
  });
});
