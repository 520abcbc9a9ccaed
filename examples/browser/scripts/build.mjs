/**
 * Builds the page into a folder: page.js (src/page.ts and everything it
 * imports, bundled by esbuild for the browser: a Node built-in anywhere on that
 * path fails the build; what it imports with `import()`, i.e. transformers.js
 * for BERT models, in its own chunk in chunks/, fetched only when needed),
 * index.html, page.css, and the tfjs wasm backend's .wasm files in wasm/.
 *
 *   node scripts/build.mjs [--out DIR] [--from-source]
 *
 * By default the @spanrel packages come from their built `dist/` through the
 * `browser` condition of their package.json `exports`, as for any user.
 * `--from-source` (what the test uses, so that it needs no build) takes each
 * package's browser entry from `src/` instead: the same file, `.ts` for `.js`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(exampleDir, '../..');

/** The folder holding the wasm backend's .wasm files (the package's dist/). */
export function wasmFilesDir() {
  const require = createRequire(join(exampleDir, 'package.json'));
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/** An esbuild plugin that resolves `@spanrel/<name>` to the source of the file its `browser` export names. */
function spanrelSources() {
  const entries = new Map();
  for (const dir of readdirSync(join(repoRoot, 'packages'))) {
    const manifest = join(repoRoot, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    const root = pkg.exports?.['.'];
    const target = root?.browser?.default ?? root?.import;
    if (typeof target !== 'string') continue;
    entries.set(pkg.name, join(repoRoot, 'packages', dir, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
  }
  return {
    name: 'spanrel-sources',
    setup(build) {
      build.onResolve({ filter: /^@spanrel\/[^/]+$/ }, (args) => (entries.has(args.path) ? { path: entries.get(args.path) } : undefined));
    },
  };
}

/** Builds the page into `outDir`; returns esbuild's result (its metafile lists every bundled input). */
export async function buildPage({ outDir = join(exampleDir, 'dist'), fromSource = false } = {}) {
  mkdirSync(join(outDir, 'wasm'), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(exampleDir, 'src/page.ts')],
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    minify: !fromSource,
    metafile: true,
    logLevel: 'silent',
    plugins: fromSource ? [spanrelSources()] : [],
  });
  for (const file of ['index.html', 'page.css']) copyFileSync(join(exampleDir, file), join(outDir, file));
  const wasmDir = wasmFilesDir();
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join(outDir, 'wasm', file));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.includes('--out') ? resolve(args[args.indexOf('--out') + 1]) : undefined;
  try {
    await buildPage({ outDir: out, fromSource: args.includes('--from-source') });
    console.log(`built the page into ${out ?? join(exampleDir, 'dist')}`);
  } catch (e) {
    // esbuild's messages name the file that imports a Node built-in.
    console.error(e.message);
    process.exit(1);
  }
}
