import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** ONNX file name suffix per transformers.js dtype (`onnx/model<suffix>.onnx`). */
export const ONNX_DTYPE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  int8: '_int8',
  uint8: '_uint8',
  q8: '_quantized',
  q4: '_q4',
} as const;
export type OnnxDtype = keyof typeof ONNX_DTYPE_SUFFIX;

/** What the encoder needs to know about a Hugging Face model folder before loading it. */
export interface ModelFolderInfo {
  dir: string;
  /** `onnx/model<suffix>.onnx` for the dtype. */
  onnxFile: string;
  /** Size of the states (`hidden_size`, `d_model` or `dim` of config.json). */
  hiddenSize: number;
  /** Positions the model takes (`max_position_embeddings`, default 512). */
  maxPositions: number;
  /** `<folder name>@<16 hex>`: a digest of config.json, the tokenizer files and the ONNX file (its size and first and last MiB). */
  fingerprint: string;
}

const SAMPLE_BYTES = 1 << 20;

/**
 * Reads config.json of a model folder in the layout transformers.js loads
 * (`config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx`),
 * synchronously, with errors that name the folder and the missing file.
 */
export function inspectModelFolder(dir: string, dtype: OnnxDtype, hiddenSizeOverride?: number): ModelFolderInfo {
  const onnxFile = join(dir, 'onnx', `model${ONNX_DTYPE_SUFFIX[dtype]}.onnx`);
  for (const file of [join(dir, 'config.json'), join(dir, 'tokenizer.json'), onnxFile]) {
    if (!existsSync(file)) throw new Error(`frozen transformer ${dir}: missing ${file} (expected a Hugging Face folder with an ONNX export, dtype ${dtype})`);
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`frozen transformer ${join(dir, 'config.json')}: cannot parse (${(e as Error).message})`);
  }
  const hiddenSize = hiddenSizeOverride ?? [config.hidden_size, config.d_model, config.dim].find((v) => typeof v === 'number');
  if (typeof hiddenSize !== 'number' || !Number.isInteger(hiddenSize) || hiddenSize < 1) {
    throw new Error(`frozen transformer ${join(dir, 'config.json')}: no "hidden_size" / "d_model" / "dim"; set config.hiddenSize`);
  }
  const maxPositions = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;

  const hash = createHash('sha256');
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    const file = join(dir, name);
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  const size = statSync(onnxFile).size;
  hash.update(`onnx:${size}`);
  const fd = openSync(onnxFile, 'r');
  try {
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    readSync(fd, head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    hash.update(head).update(tail);
  } finally {
    closeSync(fd);
  }
  return { dir, onnxFile, hiddenSize, maxPositions, fingerprint: `${basename(dir)}@${hash.digest('hex').slice(0, 16)}` };
}
