/** `--strict` and the warnings of the commands that read data files. */
import { formatWarnings, type ReadOptions } from '@spanrel/datasets';
import type { CliIO } from './command.js';

/** The `--strict` flag, for a command's `options`. */
export const STRICT_OPTION = { strict: { type: 'boolean' } } as const;

/** The usage line of `--strict`. */
export const STRICT_USAGE = `  --strict    duplicate entities and relations in the data are errors (default: merged, with a warning
              naming the file, the document and the field)`;

/**
 * Reader options from `--strict`: without it, duplicate entities and relations are merged
 * and each file's warnings are printed once to stderr (their count and the first few).
 */
export function dataReadOptions(values: Record<string, unknown>, io: CliIO): Pick<ReadOptions, 'strict' | 'onWarnings'> {
  return {
    strict: values.strict === true,
    onWarnings: (warnings) => io.err(formatWarnings(warnings, { hint: 'run with --strict to make them errors' })),
  };
}
