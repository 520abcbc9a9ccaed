import type * as transformers from '@huggingface/transformers';
import { fileAccess, joinPath as join } from '@spanrel/tensor-core';
import { readAsset, type EncoderAssetsLocation } from '../assets/encoder-assets.js';
import { loadTransformersSync } from '../transformers-module.js';

/** Tokenizer files read from a model folder; written back verbatim by `saveAssets`. */
export const TOKENIZER_FILES = { required: ['tokenizer.json', 'tokenizer_config.json'], optional: ['special_tokens_map.json', 'vocab.txt'] } as const;

/** Most words kept in the per-word cache before it is cleared (words repeat a lot across epochs). */
const WORD_CACHE_LIMIT = 100_000;

type TokenizerClass = new (tokenizerJSON: unknown, tokenizerConfig: unknown) => transformers.PreTrainedTokenizer;

/**
 * A transformers.js tokenizer used one word at a time: each word of a
 * word-tokenized sentence is tokenized on its own, without special tokens
 * (so sub-words never cross word boundaries), and the model's special tokens
 * (`[CLS]` ... `[SEP]` for BERT and ALBERT) are added around the sentence.
 *
 * Built synchronously from `tokenizer.json` + `tokenizer_config.json`, the way
 * `AutoTokenizer.from_pretrained` builds it once it has read those two files
 * (the class named by `tokenizer_class`, else the base `PreTrainedTokenizer`).
 */
export class WordwiseTokenizer {
  /** The transformers.js tokenizer. */
  readonly tokenizer: transformers.PreTrainedTokenizer;
  /** Ids the tokenizer puts before a single sequence (`[CLS]`). */
  readonly prefixIds: number[];
  /** Ids it puts after it (`[SEP]`). */
  readonly suffixIds: number[];
  /** Id used for a word the tokenizer turns into nothing (e.g. a lone zero-width space), as SpERT does. */
  readonly unknownId: number;
  /** Id written at padding positions (never attended to). */
  readonly padId: number;
  /** Raw text of every tokenizer file read, by file name. */
  readonly files: ReadonlyMap<string, string>;
  private readonly cache = new Map<string, number[]>();

  constructor(files: Map<string, string>, source: string) {
    this.files = files;
    const parse = (name: string): unknown => {
      try {
        return JSON.parse(files.get(name)!);
      } catch (e) {
        throw new Error(`bert-encoder: ${join(source, name)} is not valid JSON (${(e as Error).message})`);
      }
    };
    const tokenizerJson = parse('tokenizer.json');
    const tokenizerConfig = parse('tokenizer_config.json') as Record<string, unknown>;
    const className = typeof tokenizerConfig.tokenizer_class === 'string' ? tokenizerConfig.tokenizer_class.replace(/Fast$/, '') : 'PreTrainedTokenizer';
    // transformers.js is an optional peer dependency, loaded here on first use (a clear error when it is not installed).
    const hf = loadTransformersSync('bert-encoder.v1');
    const exported = (hf as unknown as Record<string, unknown>)[className];
    const cls = (typeof exported === 'function' ? exported : hf.PreTrainedTokenizer) as TokenizerClass;
    try {
      this.tokenizer = new cls(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new Error(`bert-encoder: cannot build a ${className} from ${join(source, 'tokenizer.json')} (${(e as Error).message})`);
    }

    // The special tokens, read off the tokenizer's own post-processor: encode a probe
    // word with and without them and take what surrounds the plain ids.
    const plain = this.tokenizer.encode('a', { add_special_tokens: false });
    const full = this.tokenizer.encode('a', { add_special_tokens: true });
    const at = indexOfRun(full, plain);
    if (plain.length === 0 || at < 0) {
      throw new Error(`bert-encoder: ${source}: cannot locate the special tokens of the tokenizer ("a" -> [${plain}] alone, [${full}] with special tokens)`);
    }
    this.prefixIds = full.slice(0, at);
    this.suffixIds = full.slice(at + plain.length);
    const unk = this.tokenizer.unk_token_id;
    this.unknownId = typeof unk === 'number' ? unk : -1;
    const pad = this.tokenizer.pad_token_id;
    this.padId = typeof pad === 'number' ? pad : 0;
  }

  /** Reads the tokenizer files of a Hugging Face model folder (or of an encoder's assets). */
  static fromFolder(folder: string): WordwiseTokenizer {
    return WordwiseTokenizer.fromAssets({ assetsDir: folder });
  }

  /**
   * The tokenizer of an assets location: its files read from `assetFiles` when
   * given (a browser fetched them; optional files are used when present), else from `assetsDir`.
   */
  static fromAssets(location: EncoderAssetsLocation & { assetsDir: string }): WordwiseTokenizer {
    const { assetsDir: folder, assetFiles } = location;
    const has = (name: string) => (assetFiles ? assetFiles.has(name) : fileAccess.exists(join(folder, name)));
    const text = (name: string) => new TextDecoder().decode(readAsset(location, name));
    const files = new Map<string, string>();
    for (const name of TOKENIZER_FILES.required) {
      if (!has(name)) {
        throw new Error(
          `bert-encoder: ${join(folder, name)} not found; transformers.js needs tokenizer.json and tokenizer_config.json ` +
            `(a folder with only vocab.txt: load it in Python with AutoTokenizer and save_pretrained it)`,
        );
      }
      files.set(name, text(name));
    }
    for (const name of TOKENIZER_FILES.optional) if (has(name)) files.set(name, text(name));
    return new WordwiseTokenizer(files, folder);
  }

  /**
   * The sub-word ids of one word tokenized on its own, without special tokens.
   * A word that gives no sub-word at all becomes the unknown token.
   */
  wordIds(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    let ids = this.tokenizer.encode(word, { add_special_tokens: false });
    if (ids.length === 0) {
      if (this.unknownId < 0) throw new Error(`bert-encoder: the word ${JSON.stringify(word)} gives no sub-word and the tokenizer has no unknown token`);
      ids = [this.unknownId];
    }
    if (this.cache.size >= WORD_CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, ids);
    return ids;
  }
}

/** First index where `run` occurs contiguously in `ids`, or -1. */
function indexOfRun(ids: number[], run: number[]): number {
  for (let i = 0; i + run.length <= ids.length; i++) {
    if (run.every((id, j) => ids[i + j] === id)) return i;
  }
  return -1;
}
