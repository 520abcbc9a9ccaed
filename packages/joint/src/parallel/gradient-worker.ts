/**
 * The entry of a gradient worker thread (see `dataParallelSteps`): it starts
 * the same tfjs backend as the thread that spawned it, builds its copy of the
 * model from a model folder, and for every step it is sent reads the current
 * weights from shared memory (when they changed), reseeds its dropout
 * generators from (run seed, step, shard), computes the loss and gradients of
 * its shard of the batch and writes the gradients into its shared buffer.
 * Built to `dist/gradient-worker.js`; never imported by the library itself.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { installOnnxMatMulRuntime } from '@spanrel/encoders';
import { initBackend, setFusedKernels } from '@spanrel/tensor-core';
import type { LossSpec, SamplingSpec } from '../config/joint-spec.js';
import { loadModel } from '../io/model-folder.js';
import type { JointModel } from '../model/joint-model.js';
import { rngRoots } from '../training/checkpoint.js';
import { mixSeed } from '../training/hashing.js';
import { findRngs, importRngStates } from '../training/rng-state.js';
import { copyUnlessWasm } from './copy-unless-wasm.js';
import type { GradientReply, GradientRequest } from './gradient-messages.js';
import { variablesOfSlots, type ParameterSlot } from './parameter-layout.js';
import { shardGradients } from './shard-gradients.js';
import { storedValues } from './stored-values.js';

if (!parentPort) throw new Error('gradient-worker: run this file as a worker thread (new Worker), not as a script');
const port = parentPort;
// As the package's Node entry does: large matMuls on onnxruntime-node where it loads (one thread in a worker).
installOnnxMatMulRuntime();
const reply = (message: GradientReply) => port.postMessage(message);

interface Setup {
  model: JointModel;
  slots: ParameterSlot[];
  variables: tf.Variable[];
  weights: Float32Array;
  gradients: Float32Array;
  seed: number;
  sampling: SamplingSpec;
  loss: LossSpec | undefined;
  rngPaths: string[];
}
let setup: Setup | null = null;

port.on('message', (request: GradientRequest) => {
  void handle(request).catch((e: unknown) => {
    reply({ type: 'error', id: request.type === 'step' ? request.id : null, message: e instanceof Error ? e.message : String(e) });
  });
});

async function handle(request: GradientRequest): Promise<void> {
  if (request.type === 'init') {
    await initBackend({ backend: request.backend });
    const model = await loadModel(request.dir);
    try {
      const variables = variablesOfSlots(model.parameters(), request.slots);
      setup = {
        model,
        slots: request.slots,
        variables,
        weights: new Float32Array(request.weights),
        gradients: new Float32Array(request.gradients),
        seed: request.seed,
        sampling: request.sampling,
        loss: request.loss,
        rngPaths: [...findRngs(rngRoots(model)).keys()],
      };
    } catch (e) {
      model.dispose();
      throw e;
    }
    reply({ type: 'ready' });
    return;
  }
  if (!setup) throw new Error('gradient-worker: "step" before "init"');
  const s = setup;
  const t0 = performance.now();
  if (request.weightsChanged) {
    // A backend that keeps the array it is given (cpu) gets a copy: the buffer changes every step.
    s.slots.forEach((slot, i) => {
      const value = tf.tensor(copyUnlessWasm(s.weights.subarray(slot.offset, slot.offset + slot.size)), slot.shape, 'float32');
      s.variables[i].assign(value);
      value.dispose();
    });
  }
  const t1 = performance.now();
  setFusedKernels(request.fused);
  // Dropout masks from (run seed, step, shard, generator): the same for a resumed run with the same number of threads.
  const states = Object.fromEntries(s.rngPaths.map((path, k) => [path, mixSeed(s.seed, request.globalStep, request.shard, k)]));
  importRngStates(rngRoots(s.model), states, 'gradient worker');
  const result = shardGradients(s.model, s.variables, request.batch, request.reduction, s.sampling, s.loss);
  const t2 = performance.now();
  const present: number[] = [];
  try {
    result.grads.forEach((g, i) => {
      if (!g) return;
      s.gradients.set(storedValues(g), s.slots[i].offset);
      present.push(i);
    });
  } finally {
    for (const g of result.grads) g?.dispose();
  }
  const timings = { readWeightsMs: t1 - t0, computeMs: t2 - t1, writeGradientsMs: performance.now() - t2 };
  reply({ type: 'gradients', id: request.id, loss: result.loss, entityLoss: result.entityLoss, relationLoss: result.relationLoss, present, timings });
}
