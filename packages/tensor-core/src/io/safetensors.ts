import * as tf from '@tensorflow/tfjs-core';
import { bfloat16ToFloat32, float16ToFloat32 } from './half-float.js';

/**
 * The safetensors format (https://github.com/huggingface/safetensors), on bytes:
 *
 * ```
 * [8 bytes]  N, unsigned little-endian 64-bit: length of the header
 * [N bytes]  JSON header: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
 *                          "__metadata__": {"key": "value"}}   (optional, string values only)
 * [rest]     data buffer: each tensor's row-major little-endian bytes at [begin, end)
 * ```
 *
 * Reading widens F16 / BF16 / F64 to float32 and the integer types to int32
 * (erroring on a value that does not fit); BOOL becomes bool. Writing stores
 * float32 as F32, int32 as I32, bool as BOOL. Validation follows the reference
 * Rust reader: offsets must tile the data buffer exactly, without gaps or overlaps.
 */

/** Largest header accepted, as the reference implementation (100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';

/** Bytes per element of every safetensors dtype. */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  /** safetensors dtype, e.g. `"F32"`, `"BF16"`. */
  dtype: string;
  shape: number[];
  /** `[begin, end)` byte range in the data buffer (after the header). */
  dataOffsets: [number, number];
}

/** The parsed, validated header of a safetensors file. */
export interface SafetensorsHeader {
  /** Tensor entries in header order. */
  entries: Map<string, SafetensorsEntry>;
  /** The `__metadata__` map (empty when absent). */
  metadata: Record<string, string>;
  /** Byte position of the data buffer in the file (8 + N). */
  dataStart: number;
}

/** Tensors and metadata read from a safetensors file. */
export interface SafetensorsContents {
  /** New tensors the caller owns, in header order. */
  tensors: Map<string, tf.Tensor>;
  metadata: Record<string, string>;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** Named in error messages (the file path); default `"(bytes)"`. */
  source?: string;
  /** Decode only the tensors whose name passes (all by default); the header is still fully validated. */
  select?: (name: string) => boolean;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(source: string, message: string): never {
  throw new Error(`safetensors ${source}: ${message}`);
}

function isNonNegativeInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Parses and validates the header of safetensors `bytes` (the whole file, data
 * included, so that offsets can be checked). Errors name `source` and the tensor.
 */
export function readSafetensorsHeader(bytes: Uint8Array, source = '(bytes)'): SafetensorsHeader {
  if (bytes.length < 8) fail(source, `truncated: ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    fail(source, `header too large: ${headerLength} bytes (limit ${SAFETENSORS_MAX_HEADER_BYTES}); not a safetensors file?`);
  }
  const n = Number(headerLength);
  if (8 + n > bytes.length) fail(source, `truncated: the header should be ${n} bytes but only ${bytes.length - 8} follow the length`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(source, `the ${n}-byte header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(source, 'the header is not a JSON object');

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadataPairs: [string, string][] = [];
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(source, `"${METADATA_KEY}" must be an object of strings`);
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== 'string') fail(source, `"${METADATA_KEY}"."${key}" must be a string, got ${JSON.stringify(value)}`);
        metadataPairs.push([key, value]);
      }
      continue;
    }
    const where = `tensor "${name}"`;
    const { dtype, shape, data_offsets: offsets } = (raw ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') fail(source, `${where}: "dtype" missing or not a string`);
    const elementBytes = DTYPE_BYTES[dtype];
    if (elementBytes === undefined) fail(source, `${where}: unknown dtype "${dtype}" (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) fail(source, `${where}: "shape" must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
      fail(source, `${where}: "data_offsets" must be [begin, end] non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      fail(source, `${where}: data_offsets [${begin}, ${end}] out of range of the ${dataLength}-byte data buffer (file truncated?)`);
    }
    const expected = shape.reduce((a: number, b: number) => a * b, 1) * elementBytes;
    if (end - begin !== expected) {
      fail(source, `${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes but ${dtype} [${shape}] needs ${expected}`);
    }
    entries.set(name, { dtype, shape: shape.slice(), dataOffsets: [begin, end] });
  }

  // The entries must tile [0, dataLength) exactly: no overlap, no gap, no trailing bytes.
  const sorted = [...entries].sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let cursor = 0;
  let previous = '(start of data)';
  for (const [name, { dataOffsets }] of sorted) {
    if (dataOffsets[0] !== cursor) {
      fail(source, `tensor "${name}": data_offsets [${dataOffsets}] ${dataOffsets[0] < cursor ? 'overlap' : 'leave a gap after'} ${previous} (which ends at ${cursor})`);
    }
    cursor = dataOffsets[1];
    previous = `tensor "${name}"`;
  }
  if (cursor !== dataLength) fail(source, `${dataLength - cursor} bytes after the last tensor's data are not described by the header`);
  // fromEntries defines own properties, so a "__proto__" key stays a plain key
  return { entries, metadata: Object.fromEntries(metadataPairs), dataStart };
}

/** A fresh, aligned, host-endian copy of `count` little-endian elements of `size` bytes. */
function copyElements(bytes: Uint8Array, begin: number, end: number, size: number): ArrayBuffer {
  const copy = new Uint8Array(end - begin);
  copy.set(bytes.subarray(begin, end));
  if (!LITTLE_ENDIAN_HOST && size > 1) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return copy.buffer;
}

/** int32 values of an integer array, or an error naming the first value out of range. */
function toInt32(values: ArrayLike<number | bigint>, dtype: string, source: string, name: string): Int32Array {
  if (values instanceof Int32Array) return values;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < -2147483648 || v > 2147483647) fail(source, `tensor "${name}": ${dtype} value ${v} at flat index ${i} does not fit in int32`);
    out[i] = Number(v);
  }
  return out;
}

function decodeEntry(bytes: Uint8Array, dataStart: number, name: string, entry: SafetensorsEntry, source: string): tf.Tensor {
  const { dtype, shape } = entry;
  const buffer = copyElements(bytes, dataStart + entry.dataOffsets[0], dataStart + entry.dataOffsets[1], DTYPE_BYTES[dtype]);
  switch (dtype) {
    case 'F32':
      return tf.tensor(new Float32Array(buffer), shape, 'float32');
    case 'F16':
      return tf.tensor(float16ToFloat32(new Uint16Array(buffer)), shape, 'float32');
    case 'BF16':
      return tf.tensor(bfloat16ToFloat32(new Uint16Array(buffer)), shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(new Float64Array(buffer)), shape, 'float32');
    case 'I64':
      return tf.tensor(toInt32(new BigInt64Array(buffer), dtype, source, name), shape, 'int32');
    case 'U64':
      return tf.tensor(toInt32(new BigUint64Array(buffer), dtype, source, name), shape, 'int32');
    case 'I32':
      return tf.tensor(new Int32Array(buffer), shape, 'int32');
    case 'U32':
      return tf.tensor(toInt32(new Uint32Array(buffer), dtype, source, name), shape, 'int32');
    case 'I16':
      return tf.tensor(Int32Array.from(new Int16Array(buffer)), shape, 'int32');
    case 'U16':
      return tf.tensor(Int32Array.from(new Uint16Array(buffer)), shape, 'int32');
    case 'I8':
      return tf.tensor(Int32Array.from(new Int8Array(buffer)), shape, 'int32');
    case 'U8':
      return tf.tensor(Int32Array.from(new Uint8Array(buffer)), shape, 'int32');
    case 'BOOL':
      return tf.tensor(Uint8Array.from(new Uint8Array(buffer), (b) => (b ? 1 : 0)), shape, 'bool');
    default:
      return fail(source, `tensor "${name}": dtype ${dtype} is not supported by spanrel (readable: F32, F16, BF16, F64, integers, BOOL)`);
  }
}

/**
 * Decodes a whole safetensors file held in memory into tfjs tensors (see the
 * format at the top of this file). Throws, naming `options.source` and the
 * tensor, on a truncated file, an oversized or malformed header, offsets out of
 * range, an unknown dtype, or an integer that does not fit in int32.
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsContents {
  const source = options.source ?? '(bytes)';
  const header = readSafetensorsHeader(bytes, source);
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const [name, entry] of header.entries) {
      if (options.select && !options.select(name)) continue;
      tensors.set(name, decodeEntry(bytes, header.dataStart, name, entry, source));
    }
  } catch (e) {
    tf.dispose([...tensors.values()]);
    throw e;
  }
  return { tensors, metadata: header.metadata };
}

const WRITE_DTYPES: Partial<Record<tf.DataType, string>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/** Little-endian bytes of a tensor's values in its safetensors dtype. */
function tensorBytes(tensor: tf.Tensor): Uint8Array {
  const values = tensor.dataSync();
  if (tensor.dtype === 'bool') return Uint8Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0));
  const typed = tensor.dtype === 'float32' ? (values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>)) : values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  const out = new Uint8Array(typed.byteLength);
  out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  if (!LITTLE_ENDIAN_HOST) for (let i = 0; i < out.length; i += 4) out.subarray(i, i + 4).reverse();
  return out;
}

/**
 * Encodes named tensors (float32 -> F32, int32 -> I32, bool -> BOOL) and string
 * metadata as safetensors bytes. Tensors are laid out by element size, then name
 * (as the reference writer, so every tensor is aligned), and the header is padded
 * with spaces to a multiple of 8 bytes. The tensors are not disposed.
 */
export function encodeSafetensors(
  tensors: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const named = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of named) {
    if (name === METADATA_KEY || name.length === 0) throw new Error(`encodeSafetensors: invalid tensor name ${JSON.stringify(name)}`);
    if (!WRITE_DTYPES[t.dtype]) throw new Error(`encodeSafetensors: tensor "${name}" has dtype ${t.dtype}; writable: float32, int32, bool`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new Error(`encodeSafetensors: metadata "${key}" must be a string, got ${JSON.stringify(value)}`);
  }
  const elementBytes = (t: tf.Tensor) => DTYPE_BYTES[WRITE_DTYPES[t.dtype]!];
  named.sort(([a, ta], [b, tb]) => elementBytes(tb) - elementBytes(ta) || (a < b ? -1 : a > b ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of named) {
    const data = tensorBytes(t);
    header[name] = { dtype: WRITE_DTYPES[t.dtype], shape: t.shape, data_offsets: [offset, offset + data.length] };
    chunks.push(data);
    offset += data.length;
  }
  let headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  if (padded !== headerBytes.length) {
    const withPadding = new Uint8Array(padded).fill(0x20); // spaces: JSON whitespace
    withPadding.set(headerBytes);
    headerBytes = withPadding;
  }

  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}
