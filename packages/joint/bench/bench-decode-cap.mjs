/**
 * Bounded decoding cost (issue 10): the dev evaluation of a model whose entity
 * classifier accepts every span, against the same model accepting no span and
 * the model as trained for a little while, on CoNLL04 sentences of at most 42
 * words (the case: after epoch 2 such a run's dev evaluation ran for
 * over 8 minutes).
 *
 *   pnpm build && node packages/joint/bench/bench-decode-cap.mjs [--preset spert] [--sentences 40] [--epochs 1] [--backend wasm]
 *
 * Prints the dev evaluation time and the span-cap counts of each rig, and, for
 * the accept-every-span model, the time without the cap on the first few
 * sentences (what every sentence used to cost). Last line: JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, dataFiles } from './bench-helpers.mjs';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'spert' },
    sentences: { type: 'string', default: '40' },
    'max-words': { type: 'string', default: '42' },
    epochs: { type: 'string', default: '1' },
    uncapped: { type: 'string', default: '2' },
    data: { type: 'string', default: join(REPO_ROOT, '..', 'shared', 'data', 'conll04') },
    backend: { type: 'string', default: 'wasm' },
  },
});

const tf = await import('@tensorflow/tfjs-core');
const core = await import('@spanrel/tensor-core');
const joint = await import('@spanrel/joint');
const datasets = await import('@spanrel/datasets');
await core.initBackend({ backend: values.backend });

const files = dataFiles(values.data);
const schema = datasets.readTypeSchema(files.types);
const maxWords = Number(values['max-words']);
const n = Number(values.sentences);
const short = (docs) => docs.filter((d) => d.tokens.length <= maxWords).slice(0, n);
const trainDocs = short(datasets.readDocuments(files.train, { schema }));
const devDocs = short(datasets.readDocuments(files.dev, { schema }));
const log = (s) => process.stderr.write(`${s}\n`);
log(`${values.preset} on ${tf.getBackend()}: ${trainDocs.length} train / ${devDocs.length} dev CoNLL04 sentences of <= ${maxWords} words`);

// A little training (the undertrained model), then the rigs on copies of its weights.
const out = mkdtempSync(join(os.tmpdir(), 'spanrel-bench-cap-'));
const spec = joint.resolveSpec(values.preset, { overrides: { training: { epochs: Number(values.epochs) } } });
const started = performance.now();
const { model, history } = await joint.train({ spec, schema, train: trainDocs, dev: devDocs, outDir: out });
log(`trained ${values.epochs} epoch(s) in ${((performance.now() - started) / 1000).toFixed(1)} s; last dev eval ${history.at(-1).evalSeconds.toFixed(2)} s, ${joint.formatDecodeCap(history.at(-1).devDecoding) ?? 'span cap not hit'}`);

/** Sets the entity classifier's output biases so that `none` always (reject) or never (accept) wins. */
function rig(m, mode) {
  const classes = m.entityClassifier.outputDim;
  const big = mode === 'accept' ? 30 : -30;
  for (const [name, v] of m.entityClassifier.parameters()) {
    if (v.rank !== 1 || !name.endsWith('bias')) continue;
    if (name.startsWith('binary.') && v.shape[0] === 2) v.assign(tf.tensor1d([-big, big]));
    else if (v.shape[0] === classes) v.assign(tf.tensor1d([-big, ...new Array(classes - 1).fill(0)]));
  }
}

const saved = new Map([...model.entityClassifier.parameters()].map(([k, v]) => [k, tf.clone(v)]));
const restore = () => {
  for (const [k, v] of model.entityClassifier.parameters()) v.assign(saved.get(k));
};

function devEval(label, docs = devDocs) {
  const start = performance.now();
  const { scores, decoding } = joint.evaluateOnDev(model, docs);
  const seconds = (performance.now() - start) / 1000;
  const perSentence = decoding.sentences > 0 ? decoding.keptSpans / decoding.sentences : 0;
  log(
    `${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s  ${(docs.length / seconds).toFixed(1).padStart(6)} sent/s  ` +
      `kept ${decoding.keptSpans} spans (${perSentence.toFixed(1)}/sentence, max ${decoding.maxKeptInSentence}), ${decoding.pairs} pairs, capped in ${decoding.cappedSentences}/${decoding.sentences}  NER F1 ${scores.ner.f1.toFixed(1)}`,
  );
  return { seconds, ...decoding };
}

const results = {};
devEval('warm-up');
results.trained = devEval('as trained');
rig(model, 'reject');
results.rejectAll = devEval('rigged: accepts no span');
rig(model, 'accept');
results.acceptAll = devEval('rigged: accepts every span (capped)');
// Without the cap, on the first few sentences only (each costs O(S^2) pairs, S = ~10 x words).
const rssCapped = process.resourceUsage().maxRSS / 1024; // MB, peak so far (every capped evaluation)
const few = devDocs.slice(0, Number(values.uncapped));
const words = few.reduce((s, d) => s + d.tokens.length, 0);
if (few.length > 0) {
  results.acceptAllFewCapped = devEval(`  same, first ${few.length} sentences (${words} words)`, few);
  model.decoding.keptSpansPerWord = null;
  results.acceptAllFewUncapped = devEval(`  same, without the cap`, few);
}
restore();

const ratio = (a, b) => (b > 0 ? a / b : null);
const summary = {
  bench: 'decode-cap',
  preset: values.preset,
  backend: tf.getBackend(),
  devSentences: devDocs.length,
  seconds: { trained: results.trained.seconds, rejectAll: results.rejectAll.seconds, acceptAll: results.acceptAll.seconds },
  acceptAllOverTrained: ratio(results.acceptAll.seconds, results.trained.seconds),
  acceptAllOverRejectAll: ratio(results.acceptAll.seconds, results.rejectAll.seconds),
  maxKeptInSentence: results.acceptAll.maxKeptInSentence,
  longestSentence: Math.max(...devDocs.map((d) => d.tokens.length)),
  peakRssMbCapped: Math.round(rssCapped),
  uncappedFew: few.length > 0 ? { sentences: few.length, cappedSeconds: results.acceptAllFewCapped.seconds, uncappedSeconds: results.acceptAllFewUncapped.seconds, uncappedPairs: results.acceptAllFewUncapped.pairs } : null,
};
log(`peak RSS through the capped evaluations: ${summary.peakRssMbCapped} MB`);
log(`accept-every-span / as-trained: ${summary.acceptAllOverTrained?.toFixed(2)}x; / accept-no-span: ${summary.acceptAllOverRejectAll?.toFixed(2)}x`);
console.log(JSON.stringify(summary));
for (const v of saved.values()) v.dispose();
model.dispose();
rmSync(out, { recursive: true, force: true });
