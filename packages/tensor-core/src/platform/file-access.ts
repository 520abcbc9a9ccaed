/**
 * The file operations spanrel's portable modules need (reading an encoder's
 * assets folder, writing them, reading word-vector files), behind one
 * interface. `@spanrel/tensor-core` exports `fileAccess` from two entries:
 * Node's (`node-file-access.ts`: node:fs) and the browser's (`no-file-access.ts`:
 * every operation throws, saying to pass the files instead). So an encoder's
 * module imports no Node built-in, and still reads and writes folders in Node.
 */
export interface FileAccess {
  /** The bytes of the file at `path` (synchronous: registry factories are). Throws naming `path`. */
  readFile(path: string): Uint8Array;
  /** The file at `path` as UTF-8 text. Throws naming `path`. */
  readTextFile(path: string): string;
  /** Whether a file or folder exists at `path`. */
  exists(path: string): boolean;
  /** Writes `data` to `path` under a temporary name, then renames it into place. */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Creates the folder `path` and its parents (no error when it exists). */
  makeDirectory(path: string): Promise<void>;
  /** The lines of a text file, streamed (a `.gz` file is decompressed on the fly). Rejects when it cannot be opened. */
  readLines(path: string): AsyncIterable<string>;
  /**
   * The entry file of the installed package `name`, resolved from each of
   * `from` in turn (file URLs of modules, or folders), or from the current
   * working folder when none of them has it; `undefined` when none has it.
   */
  resolvePackage(name: string, from: readonly string[]): string | undefined;
}

/** Joins path segments with `/` (what Node's fs accepts on every platform), dropping empty and duplicate separators. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p.length > 0).join('/');
  return joined.replace(/(?<!:)\/{2,}/g, '/');
}
