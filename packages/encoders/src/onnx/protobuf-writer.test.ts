import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.js';

const bytes = (w: ProtobufWriter) => [...w.finish()];

// Expected bytes from the protobuf encoding guide (https://protobuf.dev/programming-guides/encoding/).
describe('ProtobufWriter', () => {
  it('writes varint fields as the encoding guide shows (150 -> 08 96 01; negative int64 -> 10 bytes)', () => {
    expect(bytes(new ProtobufWriter().int(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytes(new ProtobufWriter().int(1, 1))).toEqual([0x08, 0x01]);
    expect(bytes(new ProtobufWriter().int(2, 0))).toEqual([0x10, 0x00]);
    expect(bytes(new ProtobufWriter().int(1, -1))).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes(new ProtobufWriter().int(1, -2))).toEqual([0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes(new ProtobufWriter().int(16, 1))).toEqual([0x80, 0x01, 0x01]); // field 16: a two-byte tag
    expect(() => new ProtobufWriter().int(1, 0.5)).toThrow(/field 1 must be a safe integer, got 0.5/);
  });

  it('writes strings, bytes, nested messages and packed ints length-delimited', () => {
    expect(bytes(new ProtobufWriter().string(2, 'testing'))).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect(bytes(new ProtobufWriter().message(3, new ProtobufWriter().int(1, 150)))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
    expect(bytes(new ProtobufWriter().packedInts(4, [3, 270, 86942]))).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    expect(bytes(new ProtobufWriter().bytes(1, new Uint8Array(200)).int(2, 1))).toEqual([0x0a, 0xc8, 0x01, ...new Array(200).fill(0), 0x10, 0x01]);
    const nested = new ProtobufWriter().string(1, 'a').bytes(2, Uint8Array.of(9, 8));
    const outer = new ProtobufWriter().int(1, 1).message(2, nested).int(3, 2);
    expect(outer.byteLength).toBe(2 + 2 + 7 + 2);
    expect(bytes(outer)).toEqual([0x08, 0x01, 0x12, 0x07, 0x0a, 0x01, 0x61, 0x12, 0x02, 0x09, 0x08, 0x18, 0x02]);
  });

  it('writes a float as fixed32 little-endian (1.0 -> 00 00 80 3f)', () => {
    expect(bytes(new ProtobufWriter().float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(bytes(new ProtobufWriter().float(2, -2.5))).toEqual([0x15, 0x00, 0x00, 0x20, 0xc0]);
  });
});
