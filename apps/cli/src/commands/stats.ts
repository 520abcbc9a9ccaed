import { computeStatistics, formatStatistics, readDocuments, readTypeSchema } from '@spanrel/datasets';
import { optionalInt, requireString, type Command } from '../command.js';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'corpus statistics: type counts, overlaps, long entities, span coverage (Dixit Table 2), sampling imbalance',
  usage: `spanrel stats --data D.json --types T.json [--max-width 10] [--json]
  --data       documents (SpERT .json, DyGIE++ .jsonl or CoNLL BIO)
  --types      the types file (SpERT *_types.json)
  --max-width  the span width limit for "entities longer than" and sampling (default 10)
  --json       print one JSON object instead of tables`,
  options: { data: { type: 'string' }, types: { type: 'string' }, 'max-width': { type: 'string' }, json: { type: 'boolean' } },
  async run(values, io) {
    const schema = readTypeSchema(requireString(values, 'types'));
    const docs = readDocuments(requireString(values, 'data'), undefined, { schema });
    const stats = computeStatistics(docs, schema, { maxWidth: optionalInt(values, 'max-width', 10) });
    io.out(values.json ? JSON.stringify(stats) : formatStatistics(stats));
    return 0;
  },
};
