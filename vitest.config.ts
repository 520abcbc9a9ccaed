// One vitest run for the whole workspace. Each package is a project; imports of
// `@spanrel/*` resolve to the packages' TypeScript sources, so tests need no build.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
// examples/browser is a workspace package with a test (the others under examples/ are not).
const packageDirs = [...['packages', 'apps'].flatMap((group) => readdirSync(`${root}${group}`).map((name) => `${group}/${name}`)), 'examples/browser'].filter((dir) =>
  existsSync(`${root}${dir}/package.json`),
);

// `@spanrel/x` -> its src/index.ts; a subpath export `@spanrel/x/sub` -> src/sub/index.ts. Subpaths come
// first: an alias also matches the ids below it (`@spanrel/joint` would take `@spanrel/joint/parallel`).
const alias = packageDirs.flatMap((dir) => {
  const { name, exports = {} } = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as { name: string; exports?: Record<string, unknown> };
  const subpaths = Object.keys(exports).filter((key) => key.startsWith('./') && key !== './package.json');
  return [
    ...subpaths.map((sub) => ({ find: `${name}${sub.slice(1)}`, replacement: `${root}${dir}/src${sub.slice(1)}/index.ts` })),
    { find: name, replacement: `${root}${dir}/src/index.ts` },
  ];
});

export default defineConfig({
  test: {
    projects: packageDirs.map((dir) => ({
      resolve: { alias },
      test: {
        name: JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')).name as string,
        root: `${root}${dir}`,
        include: ['src/**/*.test.ts'],
        environment: 'node',
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
