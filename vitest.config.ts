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

const alias = Object.fromEntries(
  packageDirs.map((dir) => {
    const { name } = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as { name: string };
    return [name, `${root}${dir}/src/index.ts`];
  }),
);

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
