import type { Breakdown, Breakdowns } from '@spanrel/eval';
import type { TopLevelSpec } from 'vega-lite';
import { TASK_COLORS } from './task-colors.js';

/** One task's breakdown, as it appears in a grouped bar chart. */
interface Series {
  task: 'NER' | 'RE' | 'RE+';
  breakdown: Breakdown;
}

/** A grouped bar chart of micro F1 per bucket, one bar per task; the support (gold tuples) is written over each bar. */
function groupedBuckets(title: string, axisTitle: string, series: readonly Series[]): TopLevelSpec {
  const values = series.flatMap(({ task, breakdown }) =>
    breakdown.map((b, order) => ({ bucket: b.bucket, order, task, f1: b.f1, support: b.support, label: `n=${b.support}` })),
  );
  const buckets = series[0]!.breakdown.map((b) => b.bucket);
  const x = { field: 'bucket', type: 'ordinal', sort: buckets, title: axisTitle, axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'task', type: 'nominal', sort: series.map((s) => s.task) } as const;
  return {
    title,
    width: { step: 26 }, // per bar (xOffset)
    height: 160,
    data: { values },
    encoding: { x, xOffset },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'f1', type: 'quantitative', title: 'micro F1 (%)', scale: { domain: [0, 100] } },
          color: { field: 'task', type: 'nominal', title: 'task', scale: { domain: series.map((s) => s.task), range: series.map((s) => TASK_COLORS[s.task]) } },
          tooltip: [{ field: 'task' }, { field: 'bucket' }, { field: 'f1', format: '.2f' }, { field: 'support' }],
        },
      },
      {
        mark: { type: 'text', dy: -5, fontSize: 8, color: '#555' },
        encoding: { y: { field: 'f1', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

/** The charts of eval's breakdowns: NER by entity length, NER / RE / RE+ by sentence length, RE / RE+ by argument distance. */
export function breakdownChartSpecs(b: Breakdowns): { id: string; spec: TopLevelSpec }[] {
  return [
    { id: 'entity-length', spec: groupedBuckets('NER F1 by entity length', 'entity length (words)', [{ task: 'NER', breakdown: b.ner.entityLength }]) },
    {
      id: 'sentence-length',
      spec: groupedBuckets('F1 by sentence length', 'sentence length (tokens)', [
        { task: 'NER', breakdown: b.ner.sentenceLength },
        { task: 'RE', breakdown: b.re.sentenceLength },
        { task: 'RE+', breakdown: b.rePlus.sentenceLength },
      ]),
    },
    {
      id: 'argument-distance',
      spec: groupedBuckets('Relation F1 by argument distance', 'words between the arguments', [
        { task: 'RE', breakdown: b.re.argumentDistance },
        { task: 'RE+', breakdown: b.rePlus.argumentDistance },
      ]),
    },
  ];
}
