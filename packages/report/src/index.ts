/**
 * `@spanrel/report` — reports people look at: one self-contained HTML page per
 * model and data set (score tables, training curves, F1 breakdowns, entity
 * confusion, an error browser with relation arcs) and one per comparison of
 * presets. Documents and scores in, HTML out; charts are Vega-Lite specs
 * rendered to inline SVG in Node. No tensors.
 */
export const PACKAGE_NAME = '@spanrel/report';

export type * from './types.js';
export { buildReportHtml } from './build-report.js';
export { buildCompareHtml, compareScoresSpec, compareSpeedSpec } from './compare-report.js';
export { checkReportInput, type ReportSources } from './check-report-input.js';
export { ReportInputError } from './report-input-error.js';
export { analyseSentence, errorCount, ERROR_KINDS, ERROR_KIND_LABELS, type EntityMark, type ErrorKind, type RelationMark, type SentenceAnalysis, type Verdict } from './error-analysis.js';
export { errorBrowserHtml, errorTotals, type ErrorTotals } from './error-browser.js';
export { confusionChartSpec, entityConfusion, NO_ENTITY, type EntityConfusion } from './entity-confusion.js';
export { breakdownChartSpecs } from './breakdown-charts.js';
export { devCurveSpec, lossCurveSpec } from './training-curves.js';
export { sentenceSvg } from './sentence-svg.js';
export { scoreTablesHtml } from './score-tables.js';
export { renderVegaLite } from './vega-svg.js';
export { parseTrainingLog } from './training-log.js';
