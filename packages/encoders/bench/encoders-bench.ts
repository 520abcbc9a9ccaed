/**
 * Throughput of the encoders on CoNLL04-length sentences: sentences per second
 * for a forward pass (`encode(batch, false)`: tfjs op by op, and for BERT
 * also on onnxruntime-node when it loads) and for forward + backward
 * (`tf.variableGrads` of a scalar of the training-mode output), on the fastest
 * backend `initBackend()` finds. The last line printed is the results as JSON.
 *
 *   pnpm --filter @spanrel/encoders bench
 *   BENCH_BATCH=8 BENCH_SECONDS=5 SPANREL_BACKEND=wasm pnpm --filter @spanrel/encoders bench
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, initBackend } from '@spanrel/tensor-core';
import { rmSync } from 'node:fs';
import { BertEncoder } from '../src/bert/index.js';
import { BiLstmCharCnnEncoder } from '../src/bilstm/index.js';
import type { Encoder, WordBatch } from '../src/encoder.js';
import { buildVocabulary } from '../src/vocab/index.js';
import { setOnnxInference } from '../src/onnx/index.js';
import { writeRandomBertFolder } from './random-bert-folder.js';
import { syntheticSentences } from './synthetic-sentences.js';

interface Result {
  encoder: string;
  mode: 'forward' | 'forward (onnxruntime)' | 'forward+backward';
  batchSize: number;
  sentencesPerSecond: number;
  msPerBatch: number;
  batches: number;
  parameters: number;
}

const batchSize = Number(process.env.BENCH_BATCH ?? 8);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);

/** Runs `step` (one batch) repeatedly for at least `seconds` and 3 batches, after 2 warm-up batches. */
function measure(step: () => void): { msPerBatch: number; batches: number } {
  step();
  step();
  let batches = 0;
  const start = performance.now();
  while (batches < 3 || performance.now() - start < seconds * 1000) {
    step();
    batches++;
  }
  return { msPerBatch: (performance.now() - start) / batches, batches };
}

function benchEncoder(label: string, encoder: Encoder, batches: WordBatch[]): Result[] {
  const parameters = [...encoder.parameters().values()].reduce((n, v) => n + v.size, 0);
  let next = 0;
  const take = (): WordBatch => batches[next++ % batches.length];
  const before = tf.memory().numTensors;
  const forwardStep = () => {
    tf.tidy(() => {
      tf.sum(encoder.encode(take(), false).hidden).dataSync();
    });
  };
  setOnnxInference(false); // tfjs op by op; a BERT encoder's onnxruntime forward is measured on its own below
  const forward = measure(forwardStep);
  setOnnxInference(true);
  const onnx = encoder instanceof BertEncoder && encoder.inferencePath() === 'onnxruntime' ? measure(forwardStep) : null;
  const backward = measure(() => {
    const batch = take();
    const { value, grads } = tf.variableGrads(() => {
      const out = encoder.encode(batch, true);
      return tf.add(tf.mean(tf.square(out.hidden)), tf.mean(out.cls)) as tf.Scalar;
    });
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0) throw new Error(`${label}: ${leaked} tensors leaked during the benchmark`);
  return [
    { encoder: label, mode: 'forward', batchSize, sentencesPerSecond: (1000 * batchSize) / forward.msPerBatch, msPerBatch: forward.msPerBatch, batches: forward.batches, parameters },
    ...(onnx
      ? [{ encoder: label, mode: 'forward (onnxruntime)' as const, batchSize, sentencesPerSecond: (1000 * batchSize) / onnx.msPerBatch, msPerBatch: onnx.msPerBatch, batches: onnx.batches, parameters }]
      : []),
    { encoder: label, mode: 'forward+backward', batchSize, sentencesPerSecond: (1000 * batchSize) / backward.msPerBatch, msPerBatch: backward.msPerBatch, batches: backward.batches, parameters },
  ];
}

async function main(): Promise<void> {
  const info = await initBackend();
  console.log(`backend: ${describeBackend()}`);
  const train = syntheticSentences(600, 1);
  const test = syntheticSentences(batchSize * 6, 2);
  const batches = Array.from({ length: 6 }, (_, i) => ({ tokens: test.slice(i * batchSize, (i + 1) * batchSize) }));
  const meanWords = test.reduce((n, s) => n + s.length, 0) / test.length;
  console.log(`sentences: synthetic, ${meanWords.toFixed(1)} words on average (24-32); batch size ${batchSize}; >= ${seconds} s per measurement`);

  const results: Result[] = [];
  const notes: string[] = [];
  const bilstm = new BiLstmCharCnnEncoder({ wordEmbedding: { mode: 'trained', dim: 100 } }, { vocabulary: buildVocabulary(train, { minCount: 2 }) });
  results.push(...benchEncoder('bilstm-charcnn (paper config: char CNN 3x50, word 100, 3x BiLSTM 200, highway)', bilstm, batches));
  bilstm.dispose();

  // A small BERT with random weights: hidden 256, 4 layers, 4 heads, FFN 1024.
  const folder = writeRandomBertFolder(train, { hiddenSize: 256, layers: 4, heads: 4, intermediateSize: 1024 });
  try {
    const bert = new BertEncoder({ model: 'random-bert-256x4', assetsDir: folder, pooling: 'max' });
    const subwords = test.reduce((n, s) => n + s.reduce((m, w) => m + bert.tokenizer.wordIds(w).length, 0), 0) / test.reduce((n, s) => n + s.length, 0);
    notes.push(`BERT: ${subwords.toFixed(2)} sub-words per word with the benchmark vocabulary (${bert.arch.vocabSize} pieces)`);
    results.push(...benchEncoder('bert (random weights: hidden 256, 4 layers, 4 heads, FFN 1024; max-pooled)', bert, batches));
    bert.dispose();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  for (const r of results) {
    console.log(`${r.encoder.padEnd(80)} ${r.mode.padEnd(21)} ${r.sentencesPerSecond.toFixed(1).padStart(8)} sentences/s  (${r.msPerBatch.toFixed(1)} ms / batch of ${r.batchSize}, ${r.batches} batches)`);
  }
  for (const n of notes) console.log(`note: ${n}`);
  console.log(JSON.stringify({ backend: { name: info.name, choice: info.choice, threads: info.threads, simd: info.simd, gpu: info.gpu }, meanWords, batchSize, results, notes }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
