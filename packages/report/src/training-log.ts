import { ReportInputError } from './report-input-error.js';
import type { TrainingEpoch } from './types.js';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Parses a training log (`train-log.jsonl` of `spanrel train --out`: one JSON
 * object per epoch) into the epochs the training charts need. `source` names
 * the file in errors; a line that is not JSON, or lacks `epoch` / `loss`, is an
 * error naming the line.
 */
export function parseTrainingLog(text: string, source: string): TrainingEpoch[] {
  const out: TrainingEpoch[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new ReportInputError(`${source}: line ${i + 1} is not JSON (${(e as Error).message})`);
    }
    if (!isNumber(record?.epoch) || !isNumber(record.loss)) throw new ReportInputError(`${source}: line ${i + 1} has no numeric "epoch" and "loss"`);
    const dev = record.dev as TrainingEpoch['dev'] | undefined;
    const devOk = dev && isNumber(dev.ner?.f1) && isNumber(dev.re?.f1) && isNumber(dev.rePlus?.f1);
    out.push({
      epoch: record.epoch,
      loss: record.loss,
      ...(isNumber(record.entityLoss) ? { entityLoss: record.entityLoss } : {}),
      ...(isNumber(record.relationLoss) ? { relationLoss: record.relationLoss } : {}),
      dev: devOk ? dev : null,
      best: record.best === true,
    });
  });
  return out;
}
