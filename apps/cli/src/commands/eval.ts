import { readDocuments, writeDocuments } from '@spanrel/datasets';
import { evaluate, formatEvaluation } from '@spanrel/eval';
import { emptyDecodeStats, formatDecodeCap } from '@spanrel/joint';
import { requireString, type Command } from '../command.js';
import { BACKEND_USAGE, loadModelFlag, resolveModelDir, startBackend } from '../model-runtime.js';
import { predictOnWorkers, workersFlag, WORKERS_OPTION, WORKERS_USAGE } from '../prediction-workers.js';
import { dataReadOptions, STRICT_OPTION, STRICT_USAGE } from '../data-options.js';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'predict documents with a trained model and score them: NER, RE and RE+ micro/macro P/R/F1',
  usage: `spanrel eval --model DIR --data D.json [--pred P.json] [--json] [--no-overlap] [--workers N] [--backend NAME]
  --model       a model folder, or the --out folder of spanrel train (its best model, model/, is used)
  --data        gold documents (SpERT JSON, DyGIE++ JSONL or CoNLL, by extension), checked against the model's types
  --pred        also write the predictions there (format by extension)
  --json        print one JSON object {ner, re, rePlus}
  --no-overlap  score without overlapping entities (as reported for ADE)
${STRICT_USAGE}
${WORKERS_USAGE}
${BACKEND_USAGE}`,
  options: {
    model: { type: 'string' },
    data: { type: 'string' },
    pred: { type: 'string' },
    json: { type: 'boolean' },
    'no-overlap': { type: 'boolean' },
    backend: { type: 'string' },
    ...WORKERS_OPTION,
    ...STRICT_OPTION,
  },
  async run(values, io) {
    const dataPath = requireString(values, 'data');
    const modelDir = resolveModelDir(requireString(values, 'model'));
    await startBackend(values, io);
    const workers = workersFlag(values);
    const model = await loadModelFlag(values, io);
    try {
      const gold = readDocuments(dataPath, { schema: model.schema, ...dataReadOptions(values, io) });
      const started = Date.now();
      const stats = emptyDecodeStats();
      const predictions = await predictOnWorkers(model, modelDir, gold, io, { workers, stats });
      io.err(`predicted ${gold.length} sentences in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const cap = formatDecodeCap(stats);
      if (cap) io.err(`${cap}: the model predicts more entities than keptSpansPerWord allows (an undertrained model?)`);
      if (typeof values.pred === 'string') {
        writeDocuments(values.pred, predictions);
        io.err(`predictions written to ${values.pred}`);
      }
      const result = evaluate(gold, predictions, model.schema, { removeOverlapping: values['no-overlap'] === true });
      io.out(values.json ? JSON.stringify(result) : formatEvaluation(result));
      return 0;
    } finally {
      model.dispose();
    }
  },
};
