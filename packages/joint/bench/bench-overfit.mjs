#!/usr/bin/env node
/**
 * Can a preset fit a small slice of CoNLL04? Trains it on the first N training
 * sentences of at most --max-words words and evaluates on those same sentences
 * after every epoch (dev = train), printing each epoch's losses and NER / RE+
 * micro F1. The quick diagnosis for a preset that does not learn: a model that
 * cannot fit 40 sentences has a bug or a recipe problem (learning rate, loss
 * weighting, thresholds), found in minutes instead of after a 2-hour run.
 *
 * Uses the BUILT packages (`pnpm build` first).
 *
 *   node packages/joint/bench/bench-overfit.mjs --preset spert [--n 40] [--epochs 25] [--max-words 42]
 *     [--overrides '{"training":{"optimizer":{"lr":{"peakLr":0.003}}}}'] [--data ../shared/data/conll04]
 *
 * Decoding keeps at most 30 spans per sentence (as an undertrained model marks many).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'spert' },
    n: { type: 'string', default: '40' },
    epochs: { type: 'string', default: '25' },
    'max-words': { type: 'string', default: '42' },
    overrides: { type: 'string', default: '{}' },
    data: { type: 'string', default: join(REPO_ROOT, '../shared/data/conll04') },
  },
});
const { readDocuments, readTypeSchema } = await import('@spanrel/datasets');
const { mergeSpec, resolveSpec, train } = await import('@spanrel/joint');
const { describeBackend, initBackend } = await import('@spanrel/tensor-core');
await initBackend({});
const schema = readTypeSchema(join(values.data, 'conll04_types.json'));
const docs = readDocuments(join(values.data, 'conll04_train.json'), { schema })
  .filter((d) => d.tokens.length <= Number(values['max-words']))
  .slice(0, Number(values.n));
const base = { maxKeptSpans: 30, training: { epochs: Number(values.epochs), checkpointEverySteps: 1e9, checkpointEverySeconds: null, timeBudgetMinutes: null } };
const spec = resolveSpec(values.preset, { overrides: mergeSpec(base, JSON.parse(values.overrides)) });
const outDir = mkdtempSync(join(tmpdir(), `spanrel-overfit-${values.preset}-`));
console.error(`${values.preset}: ${docs.length} sentences, ${spec.training.epochs} epochs, batch ${spec.training.batchSize}, backend ${describeBackend()}`);
const started = Date.now();
try {
  const result = await train({
    spec,
    schema,
    train: docs,
    dev: docs,
    outDir,
    onEvent: (e) => {
      if (e.type !== 'epoch-end') return;
      const r = e.record;
      const f1 = (t) => t.f1.toFixed(1);
      console.log(`${values.preset} epoch ${r.epoch}: loss ${r.loss.toFixed(4)} (entity ${r.entityLoss.toFixed(4)}, relation ${r.relationLoss.toFixed(4)}) NER ${f1(r.dev.ner)} RE+ ${f1(r.dev.rePlus)} ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },
  });
  result.model.dispose();
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
