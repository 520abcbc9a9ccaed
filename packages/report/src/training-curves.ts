import type { TopLevelSpec } from 'vega-lite';
import { taskColorScale } from './task-colors.js';
import type { TrainingEpoch } from './types.js';

/** Vega-Lite spec of the training loss per epoch (total, and the entity and relation parts when logged). */
export function lossCurveSpec(log: readonly TrainingEpoch[]): TopLevelSpec {
  const values = log.flatMap((r) => [
    { epoch: r.epoch, part: 'total', loss: r.loss },
    ...(r.entityLoss !== undefined ? [{ epoch: r.epoch, part: 'entity', loss: r.entityLoss }] : []),
    ...(r.relationLoss !== undefined ? [{ epoch: r.epoch, part: 'relation', loss: r.relationLoss }] : []),
  ]);
  return {
    title: 'Training loss per epoch',
    width: 300,
    height: 180,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
      y: { field: 'loss', type: 'quantitative', title: 'mean batch loss' },
      color: { field: 'part', type: 'nominal', title: 'loss', sort: ['total', 'entity', 'relation'] },
    },
  };
}

/** Vega-Lite spec of the dev micro F1 (NER, RE, RE+) per epoch; null when the run had no dev set. */
export function devCurveSpec(log: readonly TrainingEpoch[]): TopLevelSpec | null {
  const values = log.flatMap((r) =>
    r.dev
      ? [
          { epoch: r.epoch, task: 'NER', f1: r.dev.ner.f1, best: r.best === true },
          { epoch: r.epoch, task: 'RE', f1: r.dev.re.f1, best: r.best === true },
          { epoch: r.epoch, task: 'RE+', f1: r.dev.rePlus.f1, best: r.best === true },
        ]
      : [],
  );
  if (values.length === 0) return null;
  return {
    title: 'Dev micro F1 per epoch (dots: the kept model)',
    width: 300,
    height: 180,
    data: { values },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
      y: { field: 'f1', type: 'quantitative', title: 'F1 (%)', scale: { domain: [0, 100] } },
      color: { field: 'task', type: 'nominal', title: 'task', scale: taskColorScale },
    },
    layer: [
      { mark: { type: 'line', point: { filled: false } } },
      { transform: [{ filter: 'datum.best' }], mark: { type: 'point', filled: true, size: 60 } },
    ],
  };
}
