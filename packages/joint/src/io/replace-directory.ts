import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a folder "atomically": `write` fills a fresh temporary sibling, which
 * then takes the place of `dir` by renames (the old folder is moved aside as
 * `<dir>.old` first and removed last). A crash at any point leaves either the
 * old folder at `dir`, or the new one, or (between the two renames) the old one
 * at `<dir>.old` — which {@link recoverDirectory} moves back.
 */
export async function replaceDirectory(dir: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await write(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await rm(old, { recursive: true, force: true });
  if (existsSync(dir)) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

/**
 * Puts `<dir>.old` back at `dir` when a crash in {@link replaceDirectory} left
 * `dir` missing; returns whether `dir` exists afterwards.
 */
export async function recoverDirectory(dir: string): Promise<boolean> {
  const old = `${dir}.old`;
  if (!existsSync(dir) && existsSync(old)) await rename(old, dir);
  return existsSync(dir);
}
