// The one build every package shares: ESM + .d.ts for Node 20, from src/.
import { defineConfig } from 'tsup';

/** `entry`: source files, or output names -> source files (`{ index: 'src/index.ts', parallel: 'src/parallel/index.ts' }`). */
export function packageBuild(entry: string[] | Record<string, string> = ['src/index.ts']) {
  return defineConfig({ entry, format: ['esm'], dts: true, clean: true, sourcemap: true, target: 'node20' });
}
