import { defineConfig } from 'tsup';

// Bundles the benchmark with this package's sources (no build of the package needed);
// dependencies stay external and load from node_modules (tensor-core from its dist/).
export default defineConfig({
  entry: { 'encoders-bench': 'bench/encoders-bench.ts' },
  outDir: 'node_modules/.cache/spanrel-bench',
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  dts: false,
  sourcemap: false,
  silent: true,
  external: [/^@spanrel\//, /^@tensorflow\//, /^@huggingface\//],
});
