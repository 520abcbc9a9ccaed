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
