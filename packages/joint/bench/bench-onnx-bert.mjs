#!/usr/bin/env node
/**
 * Evaluation speed of `spert` with a BERT encoder when the encoder's inference
 * forward runs on onnxruntime-node (`setOnnxInference(true)`, @spanrel/encoders)
 * against tfjs op by op (`setOnnxInference(false)`), in ONE process on the same
 * model, chunk by chunk of dev sentences, alternating which path goes first, so
 * that the load of a shared machine hits both alike. Fused kernels stay on in
 * both. First trains a few steps (the ONNX session must follow the new
 * weights), shifts the heads' output biases so that the briefly trained model
 * predicts entities and relations, then checks that both paths give the same
 * predictions and encoder states on dev sentences.
 *
 * Uses the BUILT packages (`pnpm build` first).
 *
 *   node packages/joint/bench/bench-onnx-bert.mjs [--eval N] [--rounds N] [--steps N] [--check N]
 *     [--threads N] [--data DIR] [--bert DIR] [--backend wasm|cpu|auto]
 */
import { join, resolve } from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { REPO_ROOT, dataFiles } from './bench-helpers.mjs';

const OPTIONS = {
  eval: { type: 'string' },
  rounds: { type: 'string' },
  steps: { type: 'string' },
  check: { type: 'string' },
  threads: { type: 'string' },
  data: { type: 'string' },
  bert: { type: 'string' },
  backend: { type: 'string' },
};
const log = (line) => process.stderr.write(`${line}\n`);
const int = (v, flag, fallback) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be an integer >= 1, got "${v}"`);
  return n;
};

async function main() {
  const { values } = parseArgs({ options: OPTIONS });
  const opts = {
    eval: int(values.eval, '--eval', 80),
    rounds: int(values.rounds, '--rounds', 3),
    steps: int(values.steps, '--steps', 20),
    check: int(values.check, '--check', 231),
    threads: values.threads === undefined ? null : int(values.threads, '--threads', 1),
    data: resolve(values.data ?? join(REPO_ROOT, '..', 'shared', 'data', 'conll04')),
    bert: resolve(values.bert ?? join(REPO_ROOT, '..', 'shared', 'models', 'small-bert-conll04')),
  };
  const tf = await import('@tensorflow/tfjs-core');
  const core = await import('@spanrel/tensor-core');
  const encoders = await import('@spanrel/encoders');
  const joint = await import('@spanrel/joint');
  const datasets = await import('@spanrel/datasets');
  await core.initBackend(values.backend ? { backend: values.backend } : {});
  encoders.setOnnxInference(true, { threads: opts.threads });
  const runtime = encoders.loadOnnxRuntime();
  if (!runtime) throw new Error(`onnxruntime-node did not load: ${encoders.onnxRuntimeError()?.message}`);
  const backend = core.describeBackend();
  log(`backend: ${backend}; onnxruntime-node ${runtime.version}, ${encoders.onnxInferenceThreads()} threads; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const spec = joint.variantSpec('spert', { source: 'bench-onnx-bert', encoder: `bert:${opts.bert}` });
  const files = dataFiles(opts.data);
  const schema = datasets.readTypeSchema(files.types);
  const trainDocs = datasets.readDocuments(files.train, { schema });
  const devDocs = datasets.readDocuments(files.dev, { schema });
  const model = await joint.buildModel(spec, schema, trainDocs, devDocs);
  const encoder = model.encoder;
  if (typeof encoder.inferencePath !== 'function' || encoder.inferencePath() !== 'onnxruntime') throw new Error('the spert encoder does not run on onnxruntime-node');

  // 1. A few training steps (tfjs; fused AdamW), so the heads predict something and the weights move.
  const t = spec.training;
  const params = model.parameters();
  const opt = joint.makeOptimizer(params, t.optimizer, opts.steps);
  const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
  let cursor = 0;
  const trainStart = performance.now();
  for (let s = 0; s < opts.steps; s++) {
    const docs = [];
    for (let i = 0; i < t.batchSize; i++) docs.push(trainDocs[(cursor++ * 7) % trainDocs.length]);
    const batch = joint.sampleBatch(spec, schema, docs, () => datasets.createRng(cursor));
    core.trainStep(params, () => joint.trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss, opt, t.clipNorm === null ? {} : { clip: t.clipNorm });
  }
  opt.dispose();
  log(`${opts.steps} training steps of ${t.batchSize} in ${((performance.now() - trainStart) / 1000).toFixed(1)} s`);
  const buildStart = performance.now();
  encoder.prepareInference();
  const sessionBuildS = (performance.now() - buildStart) / 1000;
  log(`ONNX session of the trained weights built in ${sessionBuildS.toFixed(2)} s (sessions so far: ${encoder.onnxSessionBuilds})`);

  // 2. Same predictions and encoder states on dev sentences, ONNX on and off. A briefly trained
  //    model with a random-init BERT predicts no entity at all, which would make the check empty:
  //    the heads' output biases are shifted (the encoder is untouched) until it predicts 1.5-4
  //    entities and 0.5-2 relations per sentence on 24 of them, so that many
  //    decisions hinge on the encoder's states.
  const checkDocs = devDocs.slice(0, opts.check);
  const count = (docs, field) => docs.reduce((s, d) => s + d[field].length, 0);
  const probe = checkDocs.slice(0, 24);
  const shiftBias = (name, delta) => {
    const v = params.get(name);
    const next = tf.tidy(() => tf.add(v, tf.tensor1d(delta)));
    v.assign(next);
    next.dispose();
  };
  // Moves a bias (entity none-class: its first entry; relations: every entry) until the probe's
  // count per sentence is within [low, high], halving the step when it overshoots.
  const calibrate = (name, field, low, high, firstOnly) => {
    const size = params.get(name).shape[0];
    let total = 0;
    let step = 1;
    let direction = 0;
    for (let k = 0; k < 40; k++) {
      const perSentence = count(model.predict(probe), field) / probe.length;
      const want = perSentence > high ? -1 : perSentence < low ? 1 : 0;
      if (want === 0) break;
      if (direction !== 0 && want !== direction) step /= 2;
      direction = want;
      const delta = (firstOnly ? -1 : 1) * want * step; // fewer "none" logits = more entities
      shiftBias(name, Array.from({ length: size }, (_, i) => (firstOnly && i > 0 ? 0 : delta)));
      total += delta;
    }
    return total;
  };
  const entityShift = calibrate('entityClassifier.linear.bias', 'entities', 1.5, 4, true);
  const relationShift = calibrate('relationHead.linear.bias', 'relations', 0.5, 2, false);
  log(`head biases shifted: none-class ${entityShift.toFixed(2)}, relation types ${relationShift.toFixed(2)} (ONNX sessions so far: ${encoder.onnxSessionBuilds}: the heads are not in it)`);
  const predictWith = (onnx, docs) => {
    encoders.setOnnxInference(onnx);
    try {
      return model.predict(docs);
    } finally {
      encoders.setOnnxInference(true);
    }
  };
  const withOnnx = predictWith(true, checkDocs);
  const withTfjs = predictWith(false, checkDocs);
  const differing = withOnnx.map((d, i) => JSON.stringify(d) !== JSON.stringify(withTfjs[i])).filter(Boolean).length;
  let statesRelDiff = 0;
  for (let c = 0; c < checkDocs.length; c += 16) {
    const tokens = checkDocs.slice(c, c + 16).map((d) => d.tokens);
    const [a, b] = [true, false].map((onnx) => {
      encoders.setOnnxInference(onnx);
      const out = encoder.encode({ tokens }, false);
      encoders.setOnnxInference(true);
      return out;
    });
    const scale = tf.max(tf.abs(b.hidden)).dataSync()[0];
    statesRelDiff = Math.max(statesRelDiff, tf.max(tf.abs(tf.sub(a.hidden, b.hidden))).dataSync()[0] / scale);
    tf.dispose([a.hidden, a.mask, a.cls, b.hidden, b.mask, b.cls]);
  }
  log(
    `${checkDocs.length} dev sentences: ${differing} with different predictions (ONNX: ${count(withOnnx, 'entities')} entities, ${count(withOnnx, 'relations')} relations; ` +
      `tfjs: ${count(withTfjs, 'entities')}, ${count(withTfjs, 'relations')}); word states max rel diff ${statesRelDiff.toExponential(2)}`,
  );

  // 3. Interleaved timing, chunk by chunk of 8 dev sentences.
  const evalDocs = devDocs.slice(0, opts.eval);
  const CHUNK = 8;
  const timed = { onnx: { s: 0, n: 0, encS: 0 }, tfjs: { s: 0, n: 0, encS: 0 } };
  predictWith(true, evalDocs.slice(0, CHUNK)); // warm-up of each path
  predictWith(false, evalDocs.slice(0, CHUNK));
  for (let r = 0; r < opts.rounds; r++) {
    for (let c = 0; c < evalDocs.length; c += CHUNK) {
      const chunk = evalDocs.slice(c, c + CHUNK);
      for (const name of (r + c / CHUNK) % 2 === 0 ? ['onnx', 'tfjs'] : ['tfjs', 'onnx']) {
        encoders.setOnnxInference(name === 'onnx');
        const t0 = performance.now();
        model.predict(chunk);
        timed[name].s += (performance.now() - t0) / 1000;
        timed[name].n += chunk.length;
        // the encoder's forward alone (tokenize, BERT, word pooling)
        const t1 = performance.now();
        tf.dispose(Object.values(encoder.encode({ tokens: chunk.map((d) => d.tokens) }, false)));
        timed[name].encS += (performance.now() - t1) / 1000;
      }
    }
    encoders.setOnnxInference(true);
    const rate = (p) => (p.n / p.s).toFixed(1);
    log(`round ${r + 1}/${opts.rounds}: eval ONNX ${rate(timed.onnx)} sent/s, tfjs ${rate(timed.tfjs)} sent/s (${(timed.tfjs.s / timed.onnx.s).toFixed(2)}x); encoder alone ${(timed.tfjs.encS / timed.onnx.encS).toFixed(2)}x`);
  }
  const result = {
    benchmark: 'onnx-bert',
    backend,
    onnxruntime: runtime.version,
    onnxThreads: encoders.onnxInferenceThreads(),
    cpus: os.cpus().length,
    loadAverage: os.loadavg(),
    evalSentences: timed.onnx.n,
    onnxEvalSentPerSec: timed.onnx.n / timed.onnx.s,
    tfjsEvalSentPerSec: timed.tfjs.n / timed.tfjs.s,
    evalSpeedup: timed.tfjs.s / timed.onnx.s,
    encoderOnnxSentPerSec: timed.onnx.n / timed.onnx.encS,
    encoderTfjsSentPerSec: timed.tfjs.n / timed.tfjs.encS,
    encoderSpeedup: timed.tfjs.encS / timed.onnx.encS,
    sessionBuildS,
    checkSentences: checkDocs.length,
    differingPredictions: differing,
    predictedEntities: count(withOnnx, 'entities'),
    predictedRelations: count(withOnnx, 'relations'),
    wordStatesMaxRelDiff: statesRelDiff,
  };
  console.log(
    `spert + ${opts.bert.split('/').pop()} eval on ${backend}: ONNX ${result.onnxEvalSentPerSec.toFixed(1)} sent/s, tfjs ${result.tfjsEvalSentPerSec.toFixed(1)} sent/s: ${result.evalSpeedup.toFixed(2)}x ` +
      `(encoder forward alone ${result.encoderSpeedup.toFixed(2)}x); same predictions on ${checkDocs.length - differing}/${checkDocs.length} dev sentences`,
  );
  console.log(JSON.stringify(result));
  model.dispose();
  return differing === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
