// Reads the one-package installs scripts/check-example.sh made (FOLDER/<slug>/, each an
// empty project where `npm install <package>` ran against the local registry), prints
// a table package -> installed size, and exits 1 when a package is over its budget or
// pulls a dependency it must not. Also writes FOLDER/sizes.md (the same table, Markdown).
//
//   node scripts/install-sizes.mjs FOLDER
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MB = 1024 * 1024;
/** transformers.js and what it brings: only the CLI (and users of BERT / ONNX encoders) install these. */
const HEAVY = /(?:^|\/)node_modules\/(onnxruntime-node|onnxruntime-web|onnxruntime-common|@huggingface\/transformers|sharp)$/;

/** Budgets: `max` bytes of node_modules (the package itself included), `lean`: none of HEAVY. */
export const BUDGETS = {
  '@spanrel/tensor-core': { max: 100 * MB, lean: true },
  '@spanrel/datasets': { max: 1 * MB, lean: true },
  '@spanrel/eval': { max: 1 * MB, lean: true },
  // Vega + Vega-Lite (charts rendered to SVG at report time): about 42 MB.
  '@spanrel/report': { max: 60 * MB, lean: true },
  '@spanrel/encoders': { max: 100 * MB, lean: true },
  '@spanrel/span-heads': { max: 100 * MB, lean: true },
  '@spanrel/relation-heads': { max: 100 * MB, lean: true },
  '@spanrel/joint': { max: 100 * MB, lean: true },
  // joint's install plus bullmq and ioredis (about 13 MB more).
  '@spanrel/queue': { max: 100 * MB, lean: true },
  // joint + Fastify (about 14 MB): a server must not pull transformers.js either.
  '@spanrel/serve': { max: 100 * MB, lean: true },
  // The CLI depends on transformers.js on purpose (BERT / ONNX encoders out of the box).
  spanrel: { max: 1024 * MB, lean: false, needs: '@huggingface/transformers' },
};

export const slug = (name) => name.replace(/^@/, '').replace('/', '+');

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node scripts/install-sizes.mjs FOLDER');
  process.exit(2);
}
const human = (bytes) => (bytes >= 10 * MB ? `${(bytes / MB).toFixed(0)} MB` : bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`);

const rows = [];
const problems = [];
for (const [name, budget] of Object.entries(BUDGETS)) {
  const dir = join(folder, slug(name));
  const lockPath = join(dir, 'package-lock.json');
  if (!existsSync(lockPath)) {
    problems.push(`${name}: no install in ${dir}`);
    continue;
  }
  // du: disk usage of node_modules, in KiB (what the install takes on the user's disk).
  const bytes = Number(execFileSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' }).split(/\s/)[0]) * 1024;
  const own = Number(execFileSync('du', ['-sk', join(dir, 'node_modules', name)], { encoding: 'utf8' }).split(/\s/)[0]) * 1024;
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')).packages;
  // What is on disk (the lock also lists optional packages of other platforms, not installed).
  const installed = Object.keys(lock).filter((p) => p.startsWith('node_modules/') && existsSync(join(dir, p)));
  const heavy = [...new Set(installed.map((p) => HEAVY.exec(p)?.[1]).filter(Boolean))].sort();
  if (bytes > budget.max) problems.push(`${name}: ${human(bytes)} of node_modules, over its budget of ${human(budget.max)}`);
  if (budget.lean && heavy.length > 0) problems.push(`${name}: pulls ${heavy.join(', ')} (must not: transformers.js is an optional peer of @spanrel/encoders)`);
  if (budget.needs && !installed.includes(`node_modules/${budget.needs}`)) problems.push(`${name}: does not install ${budget.needs}`);
  const pass = !problems.some((p) => p.startsWith(`${name}:`));
  rows.push([name, human(bytes), human(bytes - own), String(installed.length), heavy.length ? heavy.join(' ') : 'none', `< ${human(budget.max)}${budget.lean ? ', lean' : ''}`, pass ? 'ok' : 'OVER']);
}

const header = ['package', 'node_modules', 'of which deps', 'packages', 'onnxruntime / transformers.js / sharp', 'budget', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 || i === 4 || i === 5 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
writeFileSync(
  join(folder, 'sizes.md'),
  [`| ${header.slice(0, 6).join(' | ')} |`, `| ${header.slice(0, 6).map((_, i) => (i === 0 || i >= 4 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| \`${r[0]}\` | ${r.slice(1, 6).join(' | ')} |`)].join('\n') + '\n',
);
if (problems.length > 0) {
  console.error(`\ninstall-size budget exceeded:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
