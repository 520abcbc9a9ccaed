/**
 * The entry of a prediction worker thread (see {@link ShardedPredictor}): it
 * starts the same tfjs backend as the thread that spawned it, loads a model
 * folder, and predicts the chunks of sentences it is sent, one at a time.
 * Built to `dist/predict-worker.js`; never imported by the library itself.
 */
import { parentPort } from 'node:worker_threads';
import { installOnnxFeedForwardRuntime, installOnnxMatMulRuntime } from '@spanrel/encoders';
import { initBackend, setFusedKernels } from '@spanrel/tensor-core';
import { emptyDecodeStats } from '../decoding/decode.js';
import { loadModel } from '../io/model-folder.js';
import type { JointModel } from '../model/joint-model.js';
import type { PredictReply, PredictRequest } from './predict-messages.js';

if (!parentPort) throw new Error('predict-worker: run this file as a worker thread (new Worker), not as a script');
const port = parentPort;
const reply = (message: PredictReply) => port.postMessage(message);
// As the package's Node entry does: the heads' MLPs infer on onnxruntime when it loads, as on the calling thread.
installOnnxFeedForwardRuntime();
installOnnxMatMulRuntime();
let model: JointModel | null = null;
let started: string | null = null;

port.on('message', (request: PredictRequest) => {
  void handle(request).catch((e: unknown) => {
    reply({ type: 'error', id: request.type === 'predict' ? request.id : null, message: e instanceof Error ? e.message : String(e) });
  });
});

async function handle(request: PredictRequest): Promise<void> {
  if (request.type === 'load') {
    if (started === null) {
      await initBackend({ backend: request.backend });
      started = request.backend;
    }
    setFusedKernels(request.fused);
    const next = await loadModel(request.dir);
    model?.dispose();
    model = next;
    reply({ type: 'loaded', dir: request.dir });
    return;
  }
  if (!model) throw new Error('predict-worker: "predict" before any model was loaded');
  const stats = emptyDecodeStats();
  const documents = request.withTags ? model.predict(request.sentences, { withTags: true, stats }) : model.predict(request.sentences, { stats });
  reply({ type: 'result', id: request.id, documents, stats });
}
