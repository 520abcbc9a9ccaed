/**
 * Conversions of 16-bit floats to float32, for reading F16 / BF16 checkpoints
 * (tfjs has no 16-bit dtype; they are widened, which is exact).
 */

/** float32 value of one IEEE 754 binary16 bit pattern (sign 1, exponent 5, mantissa 10 bits). */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals: mantissa * 2^-14 / 2^10
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let float16Table: Float32Array | undefined;

/** All 65536 binary16 values as float32, built on first use (256 KiB). */
function float16LookupTable(): Float32Array {
  if (!float16Table) {
    float16Table = new Float32Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits++) float16Table[bits] = float16BitsToNumber(bits);
  }
  return float16Table;
}

/** Widens binary16 bit patterns to float32 values. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const table = float16LookupTable();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

/**
 * Widens bfloat16 bit patterns to float32 values: a bfloat16 is the upper half of
 * a float32, so the bits are shifted into place (exact, NaN payloads included).
 */
export function bfloat16ToFloat32(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i] << 16;
  return new Float32Array(words.buffer);
}
