import { writeFile } from 'node:fs/promises';
import { readDocuments, readTypeSchema, type Document } from '@spanrel/datasets';
import { buildReportHtml } from '@spanrel/report';
import { describeBackend } from '@spanrel/tensor-core';
import { requireString, type Command } from '../command.js';
import { dataReadOptions, STRICT_OPTION, STRICT_USAGE } from '../data-options.js';
import { BACKEND_USAGE, loadModelFlag, startBackend } from '../model-runtime.js';
import { predictOnWorkers, workersFlag, WORKERS_OPTION, WORKERS_USAGE } from '../prediction-workers.js';
import { readModelFolderInfo } from '../training-run.js';

/** Where the report goes without --out. */
export const DEFAULT_REPORT_FILE = 'report.html';

export const reportCommand: Command = {
  name: 'report',
  summary: 'one self-contained HTML page: scores, training curves, F1 breakdowns, entity confusion and an error browser',
  usage: `spanrel report --model DIR --data GOLD.json [--pred PRED.json] [--types T.json] [--out ${DEFAULT_REPORT_FILE}] [--workers N] [--backend NAME]
  --model     a model folder, or the --out folder of spanrel train (its training log gives the training curves)
  --data      gold documents (SpERT JSON, DyGIE++ JSONL or CoNLL, by extension)
  --pred      predicted documents for the same sentences, in the same order (default: predict them with the model)
  --types     the types file (default: the model's label schema)
  --out       the HTML file to write (default ${DEFAULT_REPORT_FILE}); it opens from disk, needs no network
${STRICT_USAGE}
${WORKERS_USAGE}
${BACKEND_USAGE}`,
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    pred: { type: 'string' },
    types: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    ...WORKERS_OPTION,
    ...STRICT_OPTION,
  },
  async run(values, io) {
    const modelFlag = requireString(values, 'model');
    const dataPath = requireString(values, 'data');
    const predPath = typeof values.pred === 'string' ? values.pred : undefined;
    const typesPath = typeof values.types === 'string' ? values.types : undefined;
    const out = typeof values.out === 'string' && values.out !== '' ? values.out : DEFAULT_REPORT_FILE;
    const info = readModelFolderInfo(modelFlag);
    const schema = typesPath ? readTypeSchema(typesPath) : info.schema;
    const gold = readDocuments(dataPath, { schema, ...dataReadOptions(values, io) });
    let pred: Document[];
    let backend: string;
    if (predPath) {
      // Predicted types are checked against the schema by the report (an error naming this file).
      pred = readDocuments(predPath, { lenient: true });
      backend = 'none (predictions read from --pred)';
    } else {
      await startBackend(values, io);
      const model = await loadModelFlag(values, io);
      try {
        pred = await predictOnWorkers(model, info.modelDir, gold, io, { workers: workersFlag(values) });
      } finally {
        model.dispose();
      }
      backend = describeBackend();
    }
    const html = await buildReportHtml({
      gold,
      pred,
      schema,
      sources: { gold: dataPath, pred: predPath ?? `the predictions of ${info.modelDir}` },
      trainingLog: info.trainingLog,
      run: {
        model: info.modelDir,
        preset: info.preset,
        components: info.components,
        encoder: info.encoder,
        data: dataPath,
        predictions: predPath ?? null,
        types: typesPath ?? null,
        backend,
        date: new Date().toISOString(),
      },
    });
    await writeFile(out, html);
    io.out(`report written to ${out}`);
    return 0;
  },
};
