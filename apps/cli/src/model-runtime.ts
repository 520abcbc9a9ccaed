/**
 * What the model commands (train, eval, predict, demo) share: starting the
 * tfjs backend, loading a model folder, predicting with a progress bar.
 */
import type { Document } from '@spanrel/datasets';
import { ONNX_MATMUL_ENV_VAR, loadModel, resolveModelFolder, setOnnxMatMul, type DecodeStats, type JointModel, type SentenceInput, type TaggedDocument } from '@spanrel/joint';
import { describeBackend, initBackend, setFusedKernels } from '@spanrel/tensor-core';
import { processIO, requireString, UsageError, type CliIO } from './command.js';
import { ProgressBar, type ProgressStream } from './progress/progress-bar.js';

/** Usage lines of `--backend`, shared by train / eval / predict. */
export const BACKEND_USAGE = `  --backend   auto (default: tfjs-node-gpu, tfjs-node, wasm, cpu, the first that loads), wasm, cpu or tensorflow;
              or set SPANREL_BACKEND`;

/** Initialises the tfjs backend (`--backend`, else SPANREL_BACKEND, else automatic) and says which it is on stderr. */
export async function startBackend(values: Record<string, unknown>, io: CliIO): Promise<void> {
  const backend = typeof values.backend === 'string' ? values.backend : undefined;
  try {
    await initBackend(backend ? { backend } : {});
  } catch (e) {
    if (backend && /unknown backend/.test((e as Error).message)) throw new UsageError(`--backend: ${(e as Error).message}`);
    throw e;
  }
  // --no-fused (train): the op-by-op compositions instead of spanrel's fused kernels, e.g. to compare the two.
  const fused = values['no-fused'] !== true;
  setFusedKernels(fused);
  // --no-native-gemm (train): large matMuls stay on the wasm backend's XNNPACK, the op-by-op path's arithmetic, so
  // that a run reproduces it step for step (onnxruntime's GEMM sums in another order: the same numbers to rounding,
  // which a ReLU network's training does not keep). The environment variable carries it to worker threads.
  if (values['no-native-gemm'] === true) process.env[ONNX_MATMUL_ENV_VAR] = '0';
  const nativeGemm = process.env[ONNX_MATMUL_ENV_VAR] !== '0';
  setOnnxMatMul(nativeGemm);
  io.err(`backend: ${describeBackend()}${fused ? '' : '; fused kernels off (op-by-op path)'}`);
}

/** Where progress bars go: the real stderr when the command runs for real, else plain lines through `io.err` (tests). */
export function progressStream(io: CliIO): ProgressStream {
  return io === processIO ? process.stderr : { isTTY: false, write: (text: string) => io.err(text.replace(/\n$/, '')) };
}

/** The model folder named by `--model`: a model folder itself, or a training output folder holding one in `model/`. */
export const resolveModelDir = resolveModelFolder;

/** Loads the model of `--model`, saying where from. */
export async function loadModelFlag(values: Record<string, unknown>, io: CliIO): Promise<JointModel> {
  const dir = resolveModelDir(requireString(values, 'model'));
  const model = await loadModel(dir);
  io.err(`model: ${dir} (${model.encoder.name}, ${model.spanHead.name}, ${model.relationHead.name})`);
  return model;
}

/** `model.predict` in slices, with a progress bar when there are many sentences. */
export function predictWithProgress(model: JointModel, sentences: readonly SentenceInput[], io: CliIO, label?: string, options?: { stats?: DecodeStats }): Document[];
export function predictWithProgress(model: JointModel, sentences: readonly SentenceInput[], io: CliIO, label: string, options: { withTags: true; stats?: DecodeStats }): TaggedDocument[];
export function predictWithProgress(model: JointModel, sentences: readonly SentenceInput[], io: CliIO, label = 'predicting', options: { withTags?: boolean; stats?: DecodeStats } = {}): Document[] {
  const predict = (part: readonly SentenceInput[]) => (options.withTags ? model.predict(part, { withTags: true, stats: options.stats }) : model.predict(part, { stats: options.stats }));
  const slice = 64;
  if (sentences.length <= slice) return predict(sentences);
  const bar = new ProgressBar({ label, total: sentences.length, unit: 'sentence', stream: progressStream(io) });
  const out: Document[] = [];
  for (let start = 0; start < sentences.length; start += slice) {
    out.push(...predict(sentences.slice(start, start + slice)));
    bar.update(out.length);
  }
  bar.finish();
  return out;
}
