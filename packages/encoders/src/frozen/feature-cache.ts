import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Environment variable naming the frozen-feature cache directory. */
export const FEATURE_CACHE_ENV_VAR = 'SPANREL_FEATURE_CACHE';

/**
 * Where frozen features are cached when the config names no directory:
 * `$SPANREL_FEATURE_CACHE`, else `$XDG_CACHE_HOME/spanrel/frozen-features`,
 * else `~/.cache/spanrel/frozen-features`.
 */
export function defaultFeatureCacheDir(): string {
  const fromEnv = process.env[FEATURE_CACHE_ENV_VAR];
  if (fromEnv) return fromEnv;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'spanrel', 'frozen-features');
}

/**
 * Cache key of one sentence's features: SHA-256 of the model id, the pooling
 * and the exact words (case and order matter), as hex.
 */
export function featureKey(modelId: string, pooling: string, tokens: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify([modelId, pooling, tokens])).digest('hex');
}

/**
 * Per-sentence feature arrays (float32) in memory and, unless `dir` is null, on
 * disk as raw little-endian float32 files `<dir>/<key[0..2]>/<key>.f32`. Reads are
 * synchronous (so a synchronous `encode` can use them); writes are atomic
 * (temporary file + rename), so concurrent runs never see half a file.
 */
export class FeatureCache {
  private readonly memory = new Map<string, Float32Array>();

  /**
   * @param dir directory of the disk cache, or null for memory only
   * @param keepInMemory also keep every array read or written in memory (default true)
   */
  constructor(
    readonly dir: string | null,
    private readonly keepInMemory = true,
  ) {}

  /** Disk path of a key (null without a disk cache). */
  pathOf(key: string): string | null {
    return this.dir === null ? null : join(this.dir, key.slice(0, 2), `${key}.f32`);
  }

  /** Whether `key` is cached with exactly `length` values. */
  has(key: string, length: number): boolean {
    const cached = this.memory.get(key);
    if (cached) return cached.length === length;
    const path = this.pathOf(key);
    return path !== null && existsSync(path) && statSync(path).size === length * 4;
  }

  /**
   * The cached values of `key` (memory first, then disk), or undefined when absent.
   * Throws, naming the file, when the disk file has another length than `length`.
   */
  get(key: string, length: number): { values: Float32Array; from: 'memory' | 'disk' } | undefined {
    const cached = this.memory.get(key);
    if (cached && cached.length === length) return { values: cached, from: 'memory' };
    const path = this.pathOf(key);
    if (path === null || !existsSync(path)) return undefined;
    const bytes = readFileSync(path);
    if (bytes.length !== length * 4) {
      throw new Error(`frozen feature cache ${path}: ${bytes.length} bytes, expected ${length * 4} (${length} float32); delete the file to recompute it`);
    }
    const values = new Float32Array(length);
    new Uint8Array(values.buffer).set(bytes);
    if (this.keepInMemory) this.memory.set(key, values);
    return { values, from: 'disk' };
  }

  /** Stores `values` under `key` (memory, and disk when enabled). */
  async put(key: string, values: Float32Array): Promise<void> {
    if (this.keepInMemory) this.memory.set(key, values);
    const path = this.pathOf(key);
    if (path === null) return;
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temporary, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      await rename(temporary, path);
    } catch (e) {
      await rm(temporary, { force: true });
      throw new Error(`frozen feature cache ${path}: cannot write (${(e as Error).message})`);
    }
  }

  /** Forgets the in-memory copies (the disk cache stays). */
  clearMemory(): void {
    this.memory.clear();
  }
}
