import { formatFromPath, readDocuments, writeDocuments, type DatasetFormat } from '@spanrel/datasets';
import { requireString, UsageError, type Command } from '../command.js';
import { dataReadOptions, STRICT_OPTION, STRICT_USAGE } from '../data-options.js';

const FORMATS: DatasetFormat[] = ['spert', 'dygie', 'conll'];

function formatOption(value: unknown, flag: string): DatasetFormat | undefined {
  if (value === undefined) return undefined;
  if (!FORMATS.includes(value as DatasetFormat)) throw new UsageError(`--${flag} must be one of ${FORMATS.join(', ')}, got "${String(value)}"`);
  return value as DatasetFormat;
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert documents between SpERT JSON, DyGIE++ JSONL and CoNLL BIO',
  usage: `spanrel convert --input IN --output OUT [--from spert|dygie|conll] [--to spert|dygie|conll]
  formats default to the file extensions: .json SpERT, .jsonl DyGIE++, .conll/.bio/.iob CoNLL BIO
  (CoNLL BIO holds entities only: relations are dropped, with a warning)
${STRICT_USAGE}`,
  options: { input: { type: 'string' }, output: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, ...STRICT_OPTION },
  async run(values, io) {
    const input = requireString(values, 'input');
    const output = requireString(values, 'output');
    const docs = readDocuments(input, { format: formatOption(values.from, 'from'), ...dataReadOptions(values, io) });
    const to = formatOption(values.to, 'to') ?? formatFromPath(output);
    writeDocuments(output, docs, to);
    const relations = docs.reduce((n, d) => n + d.relations.length, 0);
    if (to === 'conll' && relations > 0) {
      io.err(`warning: CoNLL BIO has no relations; ${relations} relations were not written`);
    }
    io.out(`wrote ${docs.length} documents to ${output}`);
    return 0;
  },
};
