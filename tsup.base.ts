// The one build every package shares: ESM + .d.ts for Node 20, from src/.
import { defineConfig } from 'tsup';

export function packageBuild(entry: string[] = ['src/index.ts']) {
  return defineConfig({ entry, format: ['esm'], dts: true, clean: true, sourcemap: true, target: 'node20' });
}
