import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from './safetensors.js';

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Load only the tensors whose name passes (all by default). */
  select?: (name: string) => boolean;
}

/**
 * Writes named tensors and string metadata to a `.safetensors` file (see
 * `encodeSafetensors`). The file is written under a temporary name and renamed
 * into place, so a crash never leaves a half-written checkpoint at `path`.
 */
export async function saveSafetensors(
  path: string,
  tensors: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  const bytes = encodeSafetensors(tensors, metadata);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw new Error(`safetensors ${path}: cannot write (${(e as Error).message})`);
  }
}

/**
 * Reads a `.safetensors` file into new tensors the caller owns (see
 * `decodeSafetensors` for dtypes). Errors name the file and the tensor.
 */
export async function loadSafetensors(path: string, options: LoadSafetensorsOptions = {}): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`safetensors ${path}: cannot read (${(e as Error).message})`);
  }
  return decodeSafetensors(bytes, { source: path, select: options.select });
}
