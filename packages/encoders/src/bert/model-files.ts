import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type * as Os from 'node:os';
import type * as Stream from 'node:stream';
import type * as StreamPromises from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { joinPath as join } from '@spanrel/tensor-core';
import { nodeBuiltin } from '../node-builtin.js';

// Node built-ins got when used, not imported: the BERT encoder, which imports this
// module, is in the browser entry too (where only its assets path runs).
const FEATURE = 'bert-encoder: finding or downloading a model folder';
const fs = () => nodeBuiltin<typeof Fs>('node:fs', FEATURE);
const fsPromises = () => nodeBuiltin<typeof FsPromises>('node:fs/promises', FEATURE);
const existsSync = (path: string) => fs().existsSync(path);

/** Files of a Hugging Face model folder that a {@link BertEncoder} reads. */
export const MODEL_FILES = {
  required: ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'],
  optional: ['special_tokens_map.json', 'vocab.txt'],
} as const;

/** Environment variable naming the download cache (default `~/.cache/spanrel/huggingface`). */
export const CACHE_ENV_VAR = 'SPANREL_HF_CACHE';

/** The download cache: `SPANREL_HF_CACHE`, else `~/.cache/spanrel/huggingface`. */
export function defaultCacheDir(): string {
  return process.env[CACHE_ENV_VAR] || join(nodeBuiltin<typeof Os>('node:os', FEATURE).homedir(), '.cache', 'spanrel', 'huggingface');
}

/** Where the files of hub model `id` at `revision` are (or will be) cached: `<cacheDir>/<id>/<revision>/`. */
export function cachedModelFolder(id: string, revision: string, cacheDir: string): string {
  return join(cacheDir, ...id.split('/'), revision);
}

/** True for `name` and `org/name` ids as the hub accepts them. */
export function isHubModelId(model: string): boolean {
  return /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(model) && !model.includes('..') && !model.includes('--');
}

function isDirectory(path: string): boolean {
  return existsSync(path) && fs().statSync(path).isDirectory();
}

/** Where to look for, or download, a model. */
export interface ModelLocation {
  /** A local folder, or a hub id (`bert-base-cased`, `allenai/scibert_scivocab_cased`). */
  model: string;
  /** Hub revision (branch, tag or commit). Default `"main"`. */
  revision?: string;
  /** Download cache. Default {@link defaultCacheDir}. */
  cacheDir?: string | null;
}

/**
 * The local folder holding `model` with no network: the folder itself, or the
 * cache folder of a hub id whose required files are all there; null otherwise.
 */
export function findModelFolder({ model, revision = 'main', cacheDir }: ModelLocation): string | null {
  if (isDirectory(model)) return model;
  if (!isHubModelId(model)) return null;
  const folder = cachedModelFolder(model, revision, cacheDir ?? defaultCacheDir());
  return MODEL_FILES.required.every((f) => existsSync(join(folder, f))) ? folder : null;
}

/** Options of {@link downloadModelFiles}. */
export interface DownloadOptions extends ModelLocation {
  /** Hub address. Default `HF_ENDPOINT`, else `https://huggingface.co`. */
  remoteHost?: string;
  /** Bearer token for gated / private models. Default `HF_TOKEN`. */
  token?: string;
}

/**
 * Makes sure `model` is available locally and returns its folder: a local
 * folder is returned as is; a hub id is downloaded into the cache (each file
 * written under a temporary name and renamed, so an interrupted download is
 * retried, never half-read), unless it is already there.
 */
export async function downloadModelFiles(options: DownloadOptions): Promise<string> {
  const local = findModelFolder(options);
  if (local) return local;
  const { model, revision = 'main' } = options;
  if (!isHubModelId(model)) throw new Error(`bert-encoder: "${model}" is neither a local folder nor a Hugging Face model id`);
  const folder = cachedModelFolder(model, revision, options.cacheDir ?? defaultCacheDir());
  await fsPromises().mkdir(folder, { recursive: true });
  const host = (options.remoteHost ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const token = options.token ?? process.env.HF_TOKEN;
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const fetchOne = async (file: string, required: boolean): Promise<void> => {
    const target = join(folder, file);
    if (existsSync(target)) return;
    const url = `${host}/${model}/resolve/${encodeURIComponent(revision)}/${file}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, redirect: 'follow' });
    } catch (e) {
      throw new Error(`bert-encoder: cannot download ${url} (${(e as Error).message})`);
    }
    if (response.status === 404 && !required) return;
    if (!response.ok || !response.body) {
      const hint =
        file === 'model.safetensors'
          ? '; a model with only pytorch_model.bin must be converted once in Python: AutoModel.from_pretrained(id).save_pretrained(dir)'
          : file === 'tokenizer.json'
            ? '; a model with only vocab.txt must be converted once in Python: AutoTokenizer.from_pretrained(id).save_pretrained(dir)'
            : '';
      throw new Error(`bert-encoder: downloading ${url} failed with HTTP ${response.status}${hint}`);
    }
    const temporary = `${target}.${process.pid}.download`;
    try {
      const { Readable } = nodeBuiltin<typeof Stream>('node:stream', FEATURE);
      const { pipeline } = nodeBuiltin<typeof StreamPromises>('node:stream/promises', FEATURE);
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), fs().createWriteStream(temporary));
      await fsPromises().rename(temporary, target);
    } catch (e) {
      await fsPromises().rm(temporary, { force: true });
      throw new Error(`bert-encoder: cannot write ${target} (${(e as Error).message})`);
    }
  };
  for (const file of MODEL_FILES.required) await fetchOne(file, true);
  for (const file of MODEL_FILES.optional) await fetchOne(file, false);
  return folder;
}
