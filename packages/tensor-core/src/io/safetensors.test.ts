import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from './safetensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A safetensors file built by hand: 8-byte little-endian length, header text, data bytes. */
function handBuilt(header: string, data: number[]): Uint8Array {
  const text = Array.from(header, (c) => c.charCodeAt(0)); // ASCII headers only
  const n = text.length;
  const lengthBytes = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, 0, 0, 0, 0];
  return new Uint8Array([...lengthBytes, ...text, ...data]);
}

// Five tensors and metadata; data bytes written out by hand, little-endian.
const FIXTURE_HEADER = JSON.stringify({
  __metadata__: { format: 'pt', note: 'hand-built' },
  half: { dtype: 'F16', shape: [2, 4], data_offsets: [0, 16] },
  brain: { dtype: 'BF16', shape: [6], data_offsets: [16, 28] },
  ids: { dtype: 'I64', shape: [3], data_offsets: [28, 52] },
  f: { dtype: 'F32', shape: [1], data_offsets: [52, 56] },
  i: { dtype: 'I32', shape: [], data_offsets: [56, 60] },
});
const FIXTURE_DATA = [
  // half: 1.0, -2.5, 65504, 2^-24, 1023 * 2^-24, +inf, -inf, NaN
  0x00, 0x3c, 0x00, 0xc1, 0xff, 0x7b, 0x01, 0x00, 0xff, 0x03, 0x00, 0x7c, 0x00, 0xfc, 0x00, 0x7e,
  // brain: 1.0, -2.5, 3.140625, 2^-133, +inf, NaN
  0x80, 0x3f, 0x20, 0xc0, 0x49, 0x40, 0x01, 0x00, 0x80, 0x7f, 0xff, 0x7f,
  // ids: 7, -1, 2^31 - 1
  0x07, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0,
  // f: 1.5 = 0x3fc00000
  0x00, 0x00, 0xc0, 0x3f,
  // i: -2
  0xfe, 0xff, 0xff, 0xff,
];
const fixture = () => handBuilt(FIXTURE_HEADER, FIXTURE_DATA);

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

describe('decodeSafetensors on a hand-built file', () => {
  it('reads F16, BF16, I64, F32 and I32 tensors and the metadata', () => {
    const before = tf.memory().numTensors;
    const { tensors, metadata } = decodeSafetensors(fixture());
    expect(metadata).toEqual({ format: 'pt', note: 'hand-built' });
    expect([...tensors.keys()]).toEqual(['half', 'brain', 'ids', 'f', 'i']);
    expect(tf.memory().numTensors).toBe(before + 5);

    const half = tensors.get('half')!;
    expect(half.shape).toEqual([2, 4]);
    expect(half.dtype).toBe('float32');
    const h = Array.from(half.dataSync());
    expect(h.slice(0, 7)).toEqual([1, -2.5, 65504, 2 ** -24, 1023 * 2 ** -24, Infinity, -Infinity]);
    expect(h[7]).toBeNaN();

    const b = Array.from(tensors.get('brain')!.dataSync());
    expect(b.slice(0, 5)).toEqual([1, -2.5, 3.140625, 2 ** -133, Infinity]);
    expect(b[5]).toBeNaN();

    const ids = tensors.get('ids')!;
    expect(ids.dtype).toBe('int32');
    expect(Array.from(ids.dataSync())).toEqual([7, -1, 2147483647]);
    expect(Array.from(tensors.get('f')!.dataSync())).toEqual([1.5]);
    const i = tensors.get('i')!;
    expect(i.shape).toEqual([]);
    expect(i.dataSync()[0]).toBe(-2);
    tf.dispose([...tensors.values()]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('decodes only the selected tensors', () => {
    const { tensors } = decodeSafetensors(fixture(), { select: (name) => name.startsWith('b') || name === 'f' });
    expect([...tensors.keys()]).toEqual(['brain', 'f']);
    tf.dispose([...tensors.values()]);
  });

  it('reads from a Uint8Array that is a view into a larger buffer', () => {
    const bytes = fixture();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const { tensors } = decodeSafetensors(padded.subarray(3));
    expect(Array.from(tensors.get('ids')!.dataSync())).toEqual([7, -1, 2147483647]);
    tf.dispose([...tensors.values()]);
  });
});

describe('decodeSafetensors errors name the source and the tensor', () => {
  const source = 'ckpt/model.safetensors';
  it('truncated before the header length', () => {
    expect(errorOf(() => decodeSafetensors(new Uint8Array(5), { source }))).toMatch(/^safetensors ckpt\/model\.safetensors: truncated: 5 bytes/);
  });
  it('truncated inside the header', () => {
    expect(errorOf(() => decodeSafetensors(fixture().subarray(0, 40), { source }))).toMatch(/model\.safetensors: truncated: the header should be \d+ bytes but only 32 follow/);
  });
  it('truncated inside the data: the first tensor past the end is named', () => {
    expect(errorOf(() => decodeSafetensors(fixture().subarray(0, fixture().length - 2), { source }))).toMatch(
      /model\.safetensors: tensor "i": data_offsets \[56, 60\] out of range of the 58-byte data buffer/,
    );
  });
  it('header too large', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(errorOf(() => decodeSafetensors(bytes, { source }))).toMatch(/model\.safetensors: header too large: 1099511627776 bytes/);
  });
  it('unknown dtype, size mismatch, bad shape, bad metadata, invalid JSON', () => {
    expect(errorOf(() => decodeSafetensors(handBuilt('{"x":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}', [0]), { source }))).toMatch(
      /model\.safetensors: tensor "x": unknown dtype "Q7"/,
    );
    expect(errorOf(() => decodeSafetensors(handBuilt('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0))))).toMatch(
      /^safetensors \(bytes\): tensor "x": data_offsets \[0, 8\] hold 8 bytes but F32 \[3\] needs 12/,
    );
    expect(errorOf(() => decodeSafetensors(handBuilt('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0])))).toMatch(/tensor "x": "shape"/);
    expect(errorOf(() => decodeSafetensors(handBuilt('{"__metadata__":{"epoch":3}}', [])))).toMatch(/"__metadata__"\."epoch" must be a string/);
    expect(errorOf(() => decodeSafetensors(handBuilt('{"x":', [])))).toMatch(/header is not valid UTF-8 JSON/);
    expect(errorOf(() => decodeSafetensors(handBuilt('[1]', [])))).toMatch(/not a JSON object/);
  });
  it('overlapping offsets, gaps and undescribed trailing bytes', () => {
    const overlap = '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(overlap, [1, 2, 3])))).toMatch(/tensor "b": data_offsets \[1,3\] overlap tensor "a"/);
    const gap = '{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(gap, [1, 2])))).toMatch(/tensor "a": data_offsets \[1,2\] leave a gap after \(start of data\)/);
    const trailing = '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(trailing, [1, 2])))).toMatch(/1 bytes after the last tensor/);
  });
  it('an I64 value beyond int32, or an unsupported dtype, leaks no tensor', () => {
    const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"big":{"dtype":"I64","shape":[1],"data_offsets":[4,12]}}';
    const before = tf.memory().numTensors;
    expect(errorOf(() => decodeSafetensors(handBuilt(header, [0, 0, 0x80, 0x3f, 0, 0, 0, 0x80, 0, 0, 0, 0]), { source }))).toMatch(
      /model\.safetensors: tensor "big": I64 value 2147483648 at flat index 0 does not fit in int32/,
    );
    const f8 = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"q":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[4,5]}}';
    expect(errorOf(() => decodeSafetensors(handBuilt(f8, [0, 0, 0x80, 0x3f, 1])))).toMatch(/tensor "q": dtype F8_E4M3 is not supported/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('encodeSafetensors', () => {
  it('round-trips float32 bit patterns, int32, bool, scalars, empty tensors and metadata exactly', () => {
    const rng = new Rng(1);
    const specials = [0x7fc00001, 0xffffffff, 0x80000000, 0x00000001, 0x7f800000, 0xff800000, 0x7f7fffff, 0x3f800000];
    const randomWords = Array.from({ length: 56 }, () => Math.floor(rng.next() * 2 ** 32));
    const words = new Uint32Array([...specials, ...randomWords]);
    const floats = tf.tensor(new Float32Array(words.buffer), [4, 2, 8], 'float32');
    const ints = tf.tensor1d([-2147483648, 2147483647, 0, -1, 12345], 'int32');
    const flags = tf.tensor2d([[true, false, true]], [1, 3], 'bool');
    const scalar = tf.scalar(-0.125);
    const empty = tf.zeros([0, 3]);
    const input = new Map<string, tf.Tensor>([
      ['encoder.layers.0.kernel', floats],
      ['ids', ints],
      ['mask', flags],
      ['scale', scalar],
      ['nothing', empty],
    ]);
    const metadata = { config: JSON.stringify({ name: 'dense.v1', dims: [3, 4] }), format: 'spanrel' };
    const bytes = encodeSafetensors(input, metadata);
    const { tensors, metadata: back } = decodeSafetensors(bytes);
    expect(back).toEqual(metadata);
    expect(new Set(tensors.keys())).toEqual(new Set(input.keys()));
    for (const [name, original] of input) {
      const got = tensors.get(name)!;
      expect(got.shape).toEqual(original.shape);
      expect(got.dtype).toBe(original.dtype);
    }
    const gotWords = new Uint32Array((tensors.get('encoder.layers.0.kernel')!.dataSync() as Float32Array).slice().buffer);
    expect(Array.from(gotWords)).toEqual(Array.from(words));
    expect(Array.from(tensors.get('ids')!.dataSync())).toEqual([-2147483648, 2147483647, 0, -1, 12345]);
    expect(Array.from(tensors.get('mask')!.dataSync())).toEqual([1, 0, 1]);
    expect(tensors.get('scale')!.dataSync()[0]).toBe(-0.125);
    tf.dispose([...input.values(), ...tensors.values()]);
  });

  it('writes the layout of the format: u64 length, space-padded JSON header, contiguous little-endian data', () => {
    const a = tf.tensor1d([1.5, -2]); // F32: 0x3fc00000, 0xc0000000
    const b = tf.tensor1d([258], 'int32'); // I32: 0x00000102
    const bytes = encodeSafetensors({ b, a }, { k: 'v' });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(headerText.startsWith('{')).toBe(true);
    expect(headerText.trimEnd().length).toBeGreaterThan(n - 8);
    const header = JSON.parse(headerText);
    expect(header).toEqual({
      __metadata__: { k: 'v' },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'I32', shape: [1], data_offsets: [8, 12] },
    });
    expect(Array.from(bytes.subarray(8 + n))).toEqual([0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x02, 0x01, 0x00, 0x00]);
    expect(readSafetensorsHeader(bytes).dataStart).toBe(8 + n);
    tf.dispose([a, b]);
  });

  it('rejects unwritable dtypes and names, naming the tensor', () => {
    const c = tf.complex([1], [2]);
    expect(() => encodeSafetensors({ z: c })).toThrow(/tensor "z" has dtype complex64/);
    const t = tf.scalar(1);
    expect(() => encodeSafetensors({ __metadata__: t })).toThrow(/invalid tensor name/);
    tf.dispose([c, t]);
  });
});
