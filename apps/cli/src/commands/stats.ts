import { computeStatistics, formatStatistics, readDocuments, readTypeSchema } from '@spanrel/datasets';
import { negativeSamplingOf, preset, PRESET_NAMES, type PresetName } from '@spanrel/joint';
import { optionalInt, requireString, UsageError, type Command } from '../command.js';
import { dataReadOptions, STRICT_OPTION, STRICT_USAGE } from '../data-options.js';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'corpus statistics: type counts, overlaps, long entities, span coverage (Dixit Table 2), sampling imbalance',
  usage: `spanrel stats --data D.json --types T.json [--max-width 10] [--sampling PRESET] [--json] [--strict]
  --data       documents (SpERT .json, DyGIE++ .jsonl or CoNLL BIO)
  --types      the types file (SpERT *_types.json)
  --max-width  the span width limit for "entities longer than" and sampling (default 10)
  --sampling   the preset whose negative sampling the class-imbalance table shows
               (${PRESET_NAMES.join(', ')}; default SpERT's 100 / 100 per sentence)
  --json       print one JSON object instead of tables
${STRICT_USAGE}`,
  options: { data: { type: 'string' }, types: { type: 'string' }, 'max-width': { type: 'string' }, json: { type: 'boolean' }, sampling: { type: 'string' }, ...STRICT_OPTION },
  async run(values, io) {
    const schema = readTypeSchema(requireString(values, 'types'));
    const docs = readDocuments(requireString(values, 'data'), undefined, { schema, ...dataReadOptions(values, io) });
    const maxWidth = optionalInt(values, 'max-width', 10);
    const stats = computeStatistics(docs, schema, { maxWidth, sampling: samplingOf(values.sampling) });
    io.out(values.json ? JSON.stringify(stats) : formatStatistics(stats));
    return 0;
  },
};

/** The negative sampling of the preset named by `--sampling` (undefined: the default). */
function samplingOf(name: unknown) {
  if (name === undefined) return undefined;
  if (!(PRESET_NAMES as readonly string[]).includes(name as string)) throw new UsageError(`--sampling must be one of ${PRESET_NAMES.join(', ')}, got "${String(name)}"`);
  const sampling = negativeSamplingOf(preset(name as PresetName));
  if (!sampling) throw new UsageError(`--sampling ${String(name)}: that preset trains on all spans, with no negative sampling to show`);
  return sampling;
}
