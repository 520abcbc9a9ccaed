/**
 * Reference matrix products for tests: the independent expectation a matMul
 * kernel or runtime (XNNPACK, onnxruntime's GEMM, ...) is compared with.
 */

/**
 * `op(a) @ op(b)` by a naive triple loop accumulated in float64, where `op`
 * transposes when its flag is set. `a` is row-major `[aRows, aCols]`, `b`
 * row-major `[bRows, bCols]`; the result is row-major `[M, N]`.
 */
export function naiveMatMul(
  a: ArrayLike<number>,
  [aRows, aCols]: readonly [number, number] | readonly number[],
  transposeA: boolean,
  b: ArrayLike<number>,
  [bRows, bCols]: readonly [number, number] | readonly number[],
  transposeB: boolean,
): Float64Array {
  const M = transposeA ? aCols : aRows;
  const K = transposeA ? aRows : aCols;
  const N = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== K) throw new Error(`naiveMatMul: inner dimensions differ (${K} vs ${transposeB ? bCols : bRows})`);
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[transposeA ? k * aCols + i : i * aCols + k] * b[transposeB ? j * bCols + k : k * bCols + j];
      out[i * N + j] = s;
    }
  }
  return out;
}

/**
 * Largest absolute difference between `actual` and `expected`, relative to
 * the largest magnitude in `expected` (a scale-free tolerance for products
 * whose entries cross zero).
 */
export function relativeToScale(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`relativeToScale: lengths differ (${actual.length} vs ${expected.length})`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
