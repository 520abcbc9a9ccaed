/**
 * Where the wasm backend's `.wasm` binaries are on disk, for Node.
 *
 * `@tensorflow/tfjs-backend-wasm` (Node entry `dist/tf-backend-wasm.node.js`)
 * looks for `tfjs-backend-wasm{,-simd,-threaded-simd}.wasm` next to its own
 * script (Emscripten's `scriptDirectory` = `__dirname`) unless `setWasmPaths`
 * gave a prefix. That works from node_modules, but breaks once the package is
 * bundled (the script directory is then the bundle's). So we resolve the
 * package directory from *this* module with `createRequire(import.meta.url)`
 * and pass an absolute prefix. The package ships the same binaries in `dist/`
 * and `wasm-out/`; either is accepted.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** File names the wasm backend may load (it picks by SIMD / thread support). */
export const WASM_BINARY_NAMES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/**
 * Absolute directory (with a trailing separator) holding the wasm binaries of
 * the installed `@tensorflow/tfjs-backend-wasm`. Throws, naming the places
 * tried, when they are missing.
 */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const candidates = [path.join(packageDir, 'dist'), path.join(packageDir, 'wasm-out')];
  for (const dir of candidates) {
    if (existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm')) && existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) {
      return dir + path.sep;
    }
  }
  throw new Error(`tensor-core/backend: no tfjs-backend-wasm .wasm binaries in ${candidates.join(' or ')}`);
}

/** The installed package's threaded SIMD build, as Emscripten emitted it (`wasm-out/`). */
export interface ThreadedWasmFiles {
  /** The Emscripten glue (CommonJS; exports the module factory). */
  glue: string;
  /** CommonJS module exporting the pthread worker's source as `wasmWorkerContents`. */
  worker: string;
  /** The threaded SIMD binary. */
  binary: string;
}

/**
 * Absolute paths of the threaded SIMD build in the installed
 * `@tensorflow/tfjs-backend-wasm`. Only `wasm-out/` has its glue and worker
 * as separate files (the Node bundle inlines them). Throws when missing.
 */
export function threadedWasmFiles(): ThreadedWasmFiles {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const base = path.join(dir, 'tfjs-backend-wasm-threaded-simd');
  const files = { glue: `${base}.js`, worker: `${base}.worker.js`, binary: `${base}.wasm` };
  const missing = Object.values(files).filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`tensor-core/backend: the threaded wasm build is missing: ${missing.join(', ')}`);
  return files;
}
