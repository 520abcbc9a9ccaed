/**
 * A hand-assembled WebAssembly SIMD module that runs the AdamW update and the
 * squared-norm sum directly on the tfjs wasm backend's heap: it imports the
 * backend's own `WebAssembly.Memory`, so tensors are addressed by their heap
 * offsets and nothing is copied. About 25 instructions; written out as bytes
 * here so that no toolchain is needed (the text form is in the comments).
 *
 * Every lane operation (`f32x4.mul/add/sub/div/sqrt`) is IEEE float32 with
 * round-to-nearest, the same as the backend's elementwise kernels, so the
 * update gives the same bits as the op-by-op kernel sequence.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The exports of the module. Pointers are byte offsets into the heap. */
export interface AdamWSimdExports {
  /**
   * For `i < n & ~3` (the caller does the remaining `n % 4`):
   * `gs = g*scale; m = m*b1 + gs*c1; v = v*b2 + (gs*gs)*c2;`
   * `pOut = p*keep - (m / (sqrt(v)/sqrtBc2 + eps)) * step`, m and v in place.
   */
  adamw(
    p: number, g: number, m: number, v: number, pOut: number, n: number,
    b1: number, c1: number, b2: number, c2: number, sqrtBc2: number, eps: number, keep: number, step: number, scale: number,
  ): void;
  /** Float32 running sum of `g[i]*g[i]`, i in order (as the wasm `Sum` kernel of `Square`). */
  sumsq(g: number, n: number): number;
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const str = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];

// Instructions.
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const simd = (op: number) => [0xfd, ...leb(op)];
const V_LOAD = [...simd(0), 0, 0]; // v128.load align=1 offset=0 (unaligned access is allowed)
const V_STORE = [...simd(11), 0, 0];
const SPLAT = simd(19); // f32x4.splat
const SQRT = simd(227);
const ADD = simd(228);
const SUB = simd(229);
const MUL = simd(230);
const DIV = simd(231);
const I32_ADD = [0x6a];
const addr = (base: number, off: number) => [...get(base), ...get(off), ...I32_ADD];

function adamwBody(): number[] {
  // params 0 p, 1 g, 2 m, 3 v, 4 pOut, 5 n, 6..14 b1 c1 b2 c2 sqrtBc2 eps keep step scale (f32)
  // locals 15 off, 16 end (i32); 17..25 the splatted scalars; 26 gs, 27 m, 28 v (v128)
  const OFF = 15;
  const END = 16;
  const S = (k: number) => 17 + k; // 0 b1, 1 c1, 2 b2, 3 c2, 4 sqrtBc2, 5 eps, 6 keep, 7 step, 8 scale
  const GS = 26;
  const M = 27;
  const V = 28;
  const code = [
    // end = (n & ~3) * 4
    ...get(5), 0x41, ...[0x7c], 0x71, 0x41, 2, 0x74, ...set(END),
    ...Array.from({ length: 9 }, (_, k) => [...get(6 + k), ...SPLAT, ...set(S(k))]).flat(),
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...get(OFF), ...get(END), 0x4f, 0x0d, 1, // br_if 1 when off >= end (unsigned)
    ...addr(1, OFF), ...V_LOAD, ...get(S(8)), ...MUL, ...set(GS),
    ...addr(2, OFF), ...V_LOAD, ...get(S(0)), ...MUL, ...get(GS), ...get(S(1)), ...MUL, ...ADD, ...set(M),
    ...addr(3, OFF), ...V_LOAD, ...get(S(2)), ...MUL, ...get(GS), ...get(GS), ...MUL, ...get(S(3)), ...MUL, ...ADD, ...set(V),
    ...addr(2, OFF), ...get(M), ...V_STORE,
    ...addr(3, OFF), ...get(V), ...V_STORE,
    ...addr(4, OFF),
    ...addr(0, OFF), ...V_LOAD, ...get(S(6)), ...MUL,
    ...get(M), ...get(V), ...SQRT, ...get(S(4)), ...DIV, ...get(S(5)), ...ADD, ...DIV, ...get(S(7)), ...MUL,
    ...SUB,
    ...V_STORE,
    ...get(OFF), 0x41, 16, ...I32_ADD, ...set(OFF),
    0x0c, 0, // br 0
    0x0b, // end loop
    0x0b, // end block
    0x0b, // end function
  ];
  const locals = vec([[2, I32], [12, V128]]);
  const body = [...locals, ...code];
  return [...leb(body.length), ...body];
}

function sumsqBody(): number[] {
  // params 0 g, 1 n; locals 2 off, 3 end (i32), 4 s, 5 x (f32)
  const code = [
    ...get(1), 0x41, 2, 0x74, ...set(3),
    0x02, 0x40, 0x03, 0x40,
    ...get(2), ...get(3), 0x4f, 0x0d, 1,
    ...get(0), ...get(2), ...I32_ADD, 0x2a, 2, 0, ...set(5), // f32.load align=4
    ...get(4), ...get(5), ...get(5), 0x94, 0x92, ...set(4), // s = s + x*x
    ...get(2), 0x41, 4, ...I32_ADD, ...set(2),
    0x0c, 0, 0x0b, 0x0b,
    ...get(4),
    0x0b,
  ];
  const body = [...vec([[2, I32], [2, F32]]), ...code];
  return [...leb(body.length), ...body];
}

/** Pages in a 4 GiB (wasm32) memory: the maximum a shared memory import can declare. */
const MAX_PAGES = 65536;

/** The module's bytes; `shared` imports a shared memory (the threaded wasm build's heap is one, and the import must say so). */
function moduleBytes(shared: boolean): Uint8Array {
  const types = vec([
    [0x60, ...vec([...Array(6).fill([I32]), ...Array(9).fill([F32])]), 0],
    [0x60, ...vec([[I32], [I32]]), ...vec([[F32]])],
  ]);
  // memory, min 0 pages; shared needs a maximum (flags 0x03)
  const limits = shared ? [0x03, 0x00, ...leb(MAX_PAGES)] : [0x00, 0x00];
  const imports = vec([[...str('env'), ...str('memory'), 0x02, ...limits]]);
  const funcs = vec([[0], [1]]);
  const exports = vec([[...str('adamw'), 0x00, 0], [...str('sumsq'), 0x00, 1]]);
  const code = vec([adamwBody(), sumsqBody()]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

/** The part of the `WebAssembly` global used here (the package's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: abstract new (...args: never[]) => { buffer: ArrayBufferLike };
}
const WASM = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Compiled modules by shared-ness (null: this runtime cannot compile it). */
const compiled = new Map<boolean, object | null>();
const instances = new WeakMap<object, AdamWSimdExports>();

/** The heap memory (a `WebAssembly.Memory`) of a wasm backend (the Emscripten module's exported `memory`), or undefined. */
function heapMemory(backend: BackendWasm): { buffer: ArrayBufferLike } | undefined {
  const m = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown; wasmExports?: { memory?: unknown } };
  const mem = m.asm?.memory ?? m.wasmMemory ?? m.wasmExports?.memory;
  return WASM && mem instanceof WASM.Memory ? (mem as { buffer: ArrayBufferLike }) : undefined;
}

/**
 * The SIMD kernels bound to `backend`'s heap, or `undefined` when this runtime
 * cannot run them (no wasm SIMD, memory not reachable): callers then use a JS loop.
 */
export function adamwSimd(backend: BackendWasm): AdamWSimdExports | undefined {
  const memory = heapMemory(backend);
  if (!memory) return undefined;
  const cached = instances.get(memory);
  if (cached) return cached;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  if (!compiled.has(shared)) {
    try {
      compiled.set(shared, new WASM!.Module(moduleBytes(shared)));
    } catch {
      compiled.set(shared, null);
    }
  }
  const module = compiled.get(shared);
  if (!module) return undefined;
  const instance = new WASM!.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as AdamWSimdExports;
  instances.set(memory, exports);
  return exports;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: BackendWasm, dataId: object): number {
  const data = (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } | undefined } }).dataIdMap.get(dataId);
  if (!data) throw new Error('tensor-core/backend: tensor data not found in the wasm backend');
  return data.memoryOffset;
}
