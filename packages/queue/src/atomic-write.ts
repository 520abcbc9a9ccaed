/** Writing a file so that readers see either nothing or all of it. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The temp file `writeFileAtomic` writes first: hidden, in the same folder (so the rename is atomic), unique per call. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `text` to `path` atomically: to a temp file in the same folder, flushed to disk,
 * then renamed over `path` (rename within one filesystem is atomic). A worker killed at any
 * point leaves either no `path` or a complete one, never a half-written file; at worst a
 * stray `.name.*.tmp`. Creates the folder when missing. On failure the temp file is removed.
 */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new Error(`${path}: cannot write the output: ${(error as Error).message}`);
  }
}
