// A custom joint NER + RE architecture built from the spanrel packages, used
// the way an outside project uses them: only the public package names are
// imported, nothing from the repository's sources.
//
//   encoder            bilstm-charcnn-encoder.v1  (@spanrel/encoders)
//   span head          dixit-span-head.v1         (@spanrel/span-heads)   [x*_start; x*_end; attention head word; width]
//   entity classifier  mlp-entity-classifier.v1   (@spanrel/span-heads)
//   relation head      spert-relation-head.v1     (@spanrel/relation-heads) sigmoid over [e(s1); max-pool between; e(s2)]
//
// Neither preset pairs the Dixit span head with the SpERT relation head: the
// spec below composes them, with tiny dimensions so that training four epochs
// on a synthetic corpus takes seconds. Then the model is saved, loaded
// back (predictions must be identical), scored on held-out sentences and
// applied to raw text. Any error exits non-zero (scripts/check-example.sh).
//
// Compiled by `tsc` against the packages' published .d.ts files (`npm run build`),
// so a package published without its .d.ts, or a name missing from its types, fails too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, initBackend } from '@spanrel/tensor-core';
import { createRng, readDocuments, readTypeSchema, writeDocuments, writeTypeSchema, type Document, type Entity } from '@spanrel/datasets';
import { BiLstmCharCnnEncoder } from '@spanrel/encoders';
import { DixitSpanHead, MlpEntityClassifier } from '@spanrel/span-heads';
import { SpertRelationHead } from '@spanrel/relation-heads';
import { checkSpec, loadModel, saveModel, splitSentences, train, type JointSpec } from '@spanrel/joint';
import { evaluate, formatTaskTable } from '@spanrel/eval';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from 'spanrel';

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

/** The composed model, as a JSON spec: each component is `{name, config}` from the tensor-core registry. */
const spec: JointSpec = {
  preset: 'custom (dixit span head + spert relation head)', // informative only
  seed: 7,
  encoder: {
    name: 'bilstm-charcnn-encoder.v1',
    config: {
      wordEmbedding: { mode: 'trained', dim: 16 },
      charDim: 8,
      charFilterWidths: [2, 3],
      charFiltersPerWidth: 8,
      lstmHiddenDim: 16,
      lstmLayers: 1,
      highway: false,
      embeddingDropout: 0.1,
      lstmDropout: 0.1,
    },
    vocabulary: { lowercase: true, minCount: 1 },
  },
  // inputDim, wordVectorDim ("auto" = the encoder's), numTypes, spanDim and contextDim are filled in by buildModel.
  spanHead: { name: 'dixit-span-head.v1', config: { widthDim: 8, widthDropout: 0.1, useCls: false, wordVectorDim: 'auto', attentionHiddenDims: [16], attentionDropout: 0.1 } },
  entityClassifier: { name: 'mlp-entity-classifier.v1', config: { hiddenDims: [32], dropout: 0.1 } },
  relationHead: { name: 'spert-relation-head.v1', config: { dropout: 0.1, threshold: 0.4, initStd: 0.02, maxPairs: 500 } },
  maxSpanWidth: 6,
  maxKeptSpans: 12,
  decodeBatchSize: 16,
  training: {
    epochs: 4,
    batchSize: 4,
    // SpERT's sampling suits a multi-label (sigmoid) relation head: gold + random negative spans, gold + strong negative pairs.
    sampling: { strategy: 'spert', negativeEntities: 30, negativeRelations: 20, maxWidth: 6 },
    lossReduction: 'mean',
    optimizer: { lr: { kind: 'linear-warmup-decay', peakLr: 1e-2, warmupProportion: 0.1 }, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, biasCorrection: true },
    clipNorm: 1.0,
    earlyStoppingPatience: null,
    selectionMetric: 'rePlus',
    checkpointEverySteps: 1000,
    checkpointEverySeconds: null,
  },
};

const work = mkdtempSync(join(tmpdir(), 'spanrel-custom-architecture-'));
try {
  // 1. Backend: wasm with spanrel's training patches (SPANREL_BACKEND may name another one).
  await initBackend({ backend: process.env.SPANREL_BACKEND || 'wasm' });
  console.log(`backend: ${describeBackend()}`);

  // 2. Data: a synthetic corpus (template sentences with invented names), written and read back as SpERT JSON.
  const corpus = syntheticCorpus(300, createRng(11), 'example');
  writeTypeSchema(join(work, 'types.json'), SYNTHETIC_SCHEMA);
  writeDocuments(join(work, 'train.json'), corpus.slice(0, 240));
  writeDocuments(join(work, 'dev.json'), corpus.slice(240, 270));
  writeDocuments(join(work, 'test.json'), corpus.slice(270));
  const schema = readTypeSchema(join(work, 'types.json'));
  const [trainDocs, devDocs, testDocs]: Document[][] = ['train', 'dev', 'test'].map((split) => readDocuments(join(work, `${split}.json`), { schema }));
  console.log(`corpus: ${trainDocs.length} train / ${devDocs.length} dev / ${testDocs.length} test sentences, ${schema.entities.length} entity and ${schema.relations.length} relation types`);

  // 3. Train: builds the components through the registry from the spec, runs the epochs, keeps the best dev model.
  checkSpec(spec, 'custom spec');
  const tensorsBefore = tf.memory().numTensors;
  const { model, history } = await train({
    spec,
    schema,
    train: trainDocs,
    dev: devDocs,
    outDir: join(work, 'run'),
    onEvent: (e) => {
      if (e.type === 'start') console.log(`training: ${e.epochs} epochs x ${e.stepsPerEpoch} steps`);
    },
  });
  for (const r of history) {
    const dev = r.dev ? `dev NER F1 ${r.dev.ner.f1.toFixed(1)}, RE+ F1 ${r.dev.rePlus.f1.toFixed(1)}` : 'no dev';
    console.log(`  epoch ${r.epoch}: ${r.steps} steps, loss ${r.loss.toFixed(3)} (entity ${r.entityLoss.toFixed(3)}, relation ${r.relationLoss.toFixed(3)}), ${r.trainSeconds.toFixed(1)} s; ${dev}`);
    assert.ok(Number.isFinite(r.loss), `epoch ${r.epoch}: the loss is not finite`);
  }
  assert.ok(history.length === spec.training.epochs, `expected ${spec.training.epochs} epochs, got ${history.length}`);

  // The parts are the classes of the component packages (one copy of each package is installed, so one registry).
  assert.ok(model.encoder instanceof BiLstmCharCnnEncoder, 'encoder is not a BiLstmCharCnnEncoder');
  assert.ok(model.spanHead instanceof DixitSpanHead, 'span head is not a DixitSpanHead');
  assert.ok(model.entityClassifier instanceof MlpEntityClassifier, 'entity classifier is not an MlpEntityClassifier');
  assert.ok(model.relationHead instanceof SpertRelationHead, 'relation head is not a SpertRelationHead');
  assert.equal(model.relationMode, 'multi-label');
  let parameters = 0;
  for (const v of model.parameters().values()) parameters += v.size;
  const parts = [model.encoder, model.spanHead, model.entityClassifier, model.relationHead];
  console.log(`model: ${parts.map((part) => part.name).join(' + ')}; ${parameters} parameters`);

  // 4. Save, load back: the reloaded model predicts exactly the same.
  const predicted = model.predict(testDocs);
  const modelDir = join(work, 'my-model');
  await saveModel(model, modelDir);
  const reloaded = await loadModel(modelDir);
  assert.deepEqual(reloaded.predict(testDocs), predicted, 'the reloaded model predicts differently');
  console.log(`saved and reloaded ${modelDir}: identical predictions on ${testDocs.length} sentences`);

  // 5. Score the held-out sentences with the NER / RE / RE+ scorer.
  const evaluation = evaluate(testDocs, predicted, schema);
  console.log('\ntest scores (micro P / R / F1, percent):');
  for (const task of ['ner', 're', 'rePlus'] as const) {
    const m = evaluation[task].micro;
    console.log(`  ${task.padEnd(6)} ${m.precision.toFixed(1)} / ${m.recall.toFixed(1)} / ${m.f1.toFixed(1)}`);
  }
  console.log(`\nRE+ by relation type:\n${formatTaskTable(evaluation.rePlus, 'relation type')}`);
  // The synthetic corpus is easy: a model that trains at all finds most entities. A much lower score
  // means the installed packages compute something wrong (gradients, backend patches, decoding).
  assert.ok(evaluation.ner.micro.f1 >= 50, `test NER F1 ${evaluation.ner.micro.f1.toFixed(1)} < 50: training did not work`);

  // 6. Raw text in, entities and relations out.
  const text = 'Greta Moreau works for Kestrel Labs . Meridian Press is based in Ghent , Belgium .';
  console.log(`\npredictions for: ${text}`);
  for (const doc of reloaded.predict(splitSentences(text).map((tokens) => ({ tokens })))) {
    const span = (e: Entity) => `[${doc.tokens.slice(e.start, e.end).join(' ')}]`;
    console.log(`  ${doc.tokens.join(' ')}`);
    for (const e of doc.entities) console.log(`    entity    ${span(e)} ${e.type}`);
    for (const r of doc.relations) console.log(`    relation  ${span(doc.entities[r.head])} ${r.type} ${span(doc.entities[r.tail])}`);
  }

  model.dispose();
  reloaded.dispose();
  const leaked = tf.memory().numTensors - tensorsBefore;
  assert.equal(leaked, 0, `${leaked} tensors left after disposing both models`);
  console.log(`\ndone in ${seconds()} s, no tensors leaked`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
