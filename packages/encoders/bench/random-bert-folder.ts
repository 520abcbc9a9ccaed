import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Size of the benchmark BERT. */
export interface BenchBertSize {
  hiddenSize: number;
  layers: number;
  heads: number;
  intermediateSize: number;
}

/**
 * Writes a model folder for a BERT with random weights (no `model.safetensors`:
 * `BertEncoder` built with `assetsDir` keeps its initialisation): `config.json` of the
 * given size and a WordPiece tokenizer: the `wholeWords` most frequent words of
 * `sentences` are one piece, every other word of `sentences` is two (its first half,
 * then `##` + the rest), and every character is a piece both ways, so unseen words
 * still tokenize. On the benchmark sentences this gives about 1.3 sub-words per word,
 * as a cased BERT vocabulary on news text.
 */
export function writeRandomBertFolder(sentences: string[][], size: BenchBertSize, wholeWords = 150): string {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const counts = new Map<string, number>();
  const chars = new Set<string>();
  for (const s of sentences) {
    for (const w of s) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const c of w) chars.add(c);
    }
  }
  const byFrequency = [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const split = byFrequency.slice(wholeWords).filter((w) => w.length > 1 && /^[A-Za-z]+$/.test(w));
  const halves = split.flatMap((w) => [w.slice(0, Math.ceil(w.length / 2)), `##${w.slice(Math.ceil(w.length / 2))}`]);
  const pieces = [...new Set([...specials, ...chars, ...[...chars].map((c) => `##${c}`), ...byFrequency.slice(0, wholeWords), ...halves])];
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((t, i) => special(t, i)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(pieces.map((p, i) => [p, i])) },
  };
  const tokenizerConfig = {
    cls_token: '[CLS]', do_lower_case: false, mask_token: '[MASK]', model_max_length: 512, pad_token: '[PAD]', sep_token: '[SEP]', unk_token: '[UNK]', tokenizer_class: 'BertTokenizer',
  };
  const config = {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_act: 'gelu',
    hidden_size: size.hiddenSize,
    num_hidden_layers: size.layers,
    num_attention_heads: size.heads,
    intermediate_size: size.intermediateSize,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    vocab_size: pieces.length,
  };
  const dir = mkdtempSync(join(tmpdir(), 'spanrel-bench-bert-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 1));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 1));
  return dir;
}
