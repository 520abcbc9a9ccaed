import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat32, float16BitsToNumber, float16ToFloat32 } from './half-float.js';

/** Independent widening by bit placement: rebias the exponent (15 -> 127), shift the mantissa 13 bits left. */
function float16NormalViaBits(bits: number): number {
  const sign = (bits >>> 15) & 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  const word = (sign << 31) | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  return new Float32Array(new Uint32Array([word >>> 0]).buffer)[0];
}

describe('float16', () => {
  it('decodes hand-computed values', () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc100, -2.5],
      [0x7bff, 65504], // largest finite
      [0x0400, 2 ** -14], // smallest normal
      [0x0001, 2 ** -24], // smallest subnormal, 5.960464477539063e-8
      [0x03ff, 1023 / 2 ** 24], // largest subnormal
      [0x3555, 0.333251953125],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x0000, 0],
    ];
    for (const [bits, value] of cases) expect(float16BitsToNumber(bits)).toBe(value);
    expect(Object.is(float16BitsToNumber(0x8000), -0)).toBe(true);
    expect(float16BitsToNumber(0x7e00)).toBeNaN();
    expect(float16BitsToNumber(0xfc01)).toBeNaN();
  });

  it('agrees with bit-level widening on every normal value, and the table with the scalar function on all 65536', () => {
    const all = new Uint16Array(0x10000).map((_, i) => i);
    const widened = float16ToFloat32(all);
    const mismatches: number[] = [];
    let normals = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      const exponent = (bits >>> 10) & 0x1f;
      if (exponent !== 0 && exponent !== 0x1f) {
        normals++;
        if (widened[bits] !== float16NormalViaBits(bits)) mismatches.push(bits);
      }
      const scalar = float16BitsToNumber(bits);
      if (Number.isNaN(scalar) ? !Number.isNaN(widened[bits]) : !Object.is(widened[bits], scalar)) mismatches.push(bits);
    }
    expect(normals).toBe(2 * 30 * 1024);
    expect(mismatches).toEqual([]);
  });
});

describe('bfloat16', () => {
  it('decodes hand-computed values', () => {
    const bits = new Uint16Array([0x3f80, 0xc020, 0x4049, 0x0001, 0x7f80, 0xff80, 0x7f7f, 0x8000, 0x7fc0]);
    const values = bfloat16ToFloat32(bits);
    expect(Array.from(values.subarray(0, 7))).toEqual([1, -2.5, 3.140625, 2 ** -133, Infinity, -Infinity, 3.3895313892515355e38]);
    expect(Object.is(values[7], -0)).toBe(true);
    expect(values[8]).toBeNaN();
    // widening keeps the exact bits in the upper half of the float32
    const words = new Uint32Array(values.buffer);
    expect(words[8]).toBe(0x7fc00000);
  });
});
