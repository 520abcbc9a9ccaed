import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { formatFromPath, formatSpertJson, readDocuments, writeDocuments, type DatasetFormat, type Document } from '@spanrel/datasets';
import { splitSentences, type SentenceInput, type TaggedDocument } from '@spanrel/joint';
import { UsageError, type Command } from '../command.js';
import { describePrediction } from '../describe-prediction.js';
import { BACKEND_USAGE, loadModelFlag, resolveModelDir, startBackend } from '../model-runtime.js';
import { predictOnWorkers, workersFlag, WORKERS_OPTION, WORKERS_USAGE } from '../prediction-workers.js';
import { dataReadOptions, STRICT_OPTION } from '../data-options.js';

type InputFormat = DatasetFormat | 'text';
const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.md']);

/** The input format: `--format`, else `text` for .txt/.text/.md files, else the dataset format of the extension. */
function inputFormat(path: string, flag: unknown): InputFormat {
  if (flag !== undefined) {
    if (flag === 'text' || flag === 'spert' || flag === 'dygie' || flag === 'conll') return flag;
    throw new UsageError(`--format must be text, spert, dygie or conll, got "${String(flag)}"`);
  }
  return TEXT_EXTENSIONS.has(extname(path).toLowerCase()) ? 'text' : formatFromPath(path);
}

/** A tagged prediction as a document whose SpERT JSON entry carries a `tags` array (after its other keys). */
function withTagsField(doc: TaggedDocument): Document {
  const { tags, ...plain } = doc;
  return { ...plain, extra: { ...plain.extra, spert: { ...plain.extra?.spert, tags } } };
}

/** The words of a sentence with their predicted tags, `John/B-Peop lives/O ...`. */
function describeTags(doc: TaggedDocument): string {
  return `    tags:      ${doc.tokens.map((word, i) => `${word}/${doc.tags[i]}`).join(' ') || '(none)'}`;
}

/** Raw text as sentences of words, numbered from 0. */
function textSentences(text: string): SentenceInput[] {
  return splitSentences(text).map((tokens, i) => ({ id: String(i), tokens }));
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'extract entities and relations from raw text or documents with a trained model (SpERT JSON out)',
  usage: `spanrel predict --model DIR (--text "..." | --input FILE) [--format F] [--out FILE] [--tags] [--workers N] [--backend NAME]
  --model    a model folder, or the --out folder of spanrel train
  --text     raw text: split into sentences and words, then predicted
  --input    a file of raw text (.txt, .text, .md) or of documents (SpERT JSON, DyGIE++ JSONL, CoNLL: their words are used)
  --format   the input's format when its extension does not tell: text, spert, dygie or conll
  --out      write the predictions there (format by extension, SpERT JSON for .json) and print a few;
             without it, the predictions are printed as SpERT JSON
  --tags     also give each sentence the (extended) BIO tags its words were predicted, e.g.
             John/B-Peop lives/O in/O Paris/B-Loc: printed under its entities and relations, and as a
             "tags" array in each document of the SpERT JSON (--out must then be a .json file);
             only STSN-style models (with a tagger) predict tags
  --strict   check the --input documents' annotations as training data (duplicates, self-relations
             are errors); by default they are ignored
${WORKERS_USAGE}
${BACKEND_USAGE}`,
  options: {
    model: { type: 'string' },
    text: { type: 'string' },
    input: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    tags: { type: 'boolean' },
    backend: { type: 'string' },
    ...WORKERS_OPTION,
    ...STRICT_OPTION,
  },
  async run(values, io) {
    const hasText = typeof values.text === 'string';
    const hasInput = typeof values.input === 'string';
    if (hasText === hasInput) throw new UsageError('give exactly one of --text and --input');
    if (hasText && values.format !== undefined) throw new UsageError('--format applies to --input only');
    if (typeof values.model !== 'string') throw new UsageError('missing required option --model');
    const withTags = values.tags === true;
    if (withTags && typeof values.out === 'string' && formatFromPath(values.out) !== 'spert') {
      throw new UsageError(`--tags writes the tags into SpERT JSON: give --out a .json file, not ${values.out}`);
    }
    let sentences: SentenceInput[];
    if (hasText) {
      sentences = textSentences(values.text as string);
    } else {
      const path = values.input as string;
      const format = inputFormat(path, values.format);
      // Annotations in the input are ignored; lenient, so that odd ones do not stop a prediction.
      sentences = format === 'text' ? textSentences(readFileSync(path, 'utf8')) : readDocuments(path, { format, lenient: values.strict !== true, ...dataReadOptions(values, io) });
    }
    if (sentences.length === 0) throw new Error('the input holds no sentence');

    await startBackend(values, io);
    const workers = workersFlag(values);
    const model = await loadModelFlag(values, io);
    try {
      if (withTags && !model.tagger) {
        throw new Error(`${resolveModelDir(values.model)}: --tags: only STSN-style models (with a tagger) predict tags, and this model (${model.spanHead.name}, ${model.relationHead.name}) has no tagger`);
      }
      const modelDir = resolveModelDir(values.model);
      const tagged = withTags ? await predictOnWorkers(model, modelDir, sentences, io, { workers, withTags: true }) : null;
      const predictions = tagged ?? (await predictOnWorkers(model, modelDir, sentences, io, { workers }));
      const written = tagged ? tagged.map(withTagsField) : predictions;
      const entities = predictions.reduce((n, d) => n + d.entities.length, 0);
      const relations = predictions.reduce((n, d) => n + d.relations.length, 0);
      const summary = `${predictions.length} sentence${predictions.length === 1 ? '' : 's'}: ${entities} entities, ${relations} relations`;
      if (typeof values.out === 'string') {
        writeDocuments(values.out, written);
        io.out(`${summary}; written to ${values.out}`);
        predictions.slice(0, 5).forEach((doc, i) => io.out(tagged ? `${describePrediction(doc)}\n${describeTags(tagged[i])}` : describePrediction(doc)));
      } else {
        io.err(summary);
        io.out(formatSpertJson(written));
      }
      return 0;
    } finally {
      model.dispose();
    }
  },
};
