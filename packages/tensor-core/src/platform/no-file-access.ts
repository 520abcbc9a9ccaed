/**
 * `fileAccess` of the browser entry (see `file-access.ts`): there is no file
 * system, so every operation throws, naming the path and what to do instead.
 */
import type { FileAccess } from './file-access.js';

function unavailable(path: string): never {
  throw new Error(
    `${path}: reading or writing files needs Node.js (this is the browser build of @spanrel/tensor-core); ` +
      'in a browser, hand the files over instead (loadModelFromUrl / loadModelFromFiles of @spanrel/joint)',
  );
}

export const fileAccess: FileAccess = {
  readFile: unavailable,
  readTextFile: unavailable,
  exists: () => false,
  writeFile: async (path) => unavailable(path),
  makeDirectory: async (path) => unavailable(path),
  readLines: (path) => unavailable(path),
  resolvePackage: () => undefined,
};
