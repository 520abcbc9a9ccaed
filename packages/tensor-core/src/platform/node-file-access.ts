/** `fileAccess` for Node (see `file-access.ts`): node:fs, streams and module resolution. */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import type { FileAccess } from './file-access.js';

async function* readLines(path: string): AsyncIterable<string> {
  const raw = createReadStream(path);
  await new Promise<void>((resolve, reject) => {
    raw.once('open', () => resolve());
    raw.once('error', reject);
  });
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  yield* createInterface({ input, crlfDelay: Infinity });
}

export const fileAccess: FileAccess = {
  readFile(path) {
    return readFileSync(path);
  },
  readTextFile(path) {
    return readFileSync(path, 'utf8');
  },
  exists(path) {
    return existsSync(path);
  },
  async writeFile(path, data) {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, data);
      await rename(temporary, path);
    } catch (e) {
      await rm(temporary, { force: true });
      throw new Error(`${path}: cannot write (${(e as Error).message})`);
    }
  },
  async makeDirectory(path) {
    await mkdir(path, { recursive: true });
  },
  readLines,
  resolvePackage(name, from) {
    for (const base of [...from, process.cwd()]) {
      const url = base.startsWith('file:') ? base : pathToFileURL(join(base, 'package.json')).href;
      try {
        return createRequire(url).resolve(name);
      } catch {
        // try the next base
      }
    }
    return undefined;
  },
};
