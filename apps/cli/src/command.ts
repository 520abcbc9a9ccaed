import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes: the process streams in the binary, buffers in tests. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

type Options = NonNullable<ParseArgsConfig['options']>;

/** One `spanrel <name>` sub-command. */
export interface Command {
  name: string;
  summary: string;
  /** Lines shown under "usage:", flags and what they mean. */
  usage: string;
  options: Options;
  run(values: Record<string, string | boolean | string[] | undefined>, io: CliIO): Promise<number>;
}

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseCommandArgs(command: Command, argv: string[]): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({ args: argv, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The value of a required string flag, or a UsageError naming it. */
export function requireString(values: Record<string, unknown>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing required option --${flag}`);
  return value;
}

/** An optional positive-integer flag. */
export function optionalInt(values: Record<string, unknown>, flag: string, fallback: number): number {
  const value = values[flag];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer, got "${String(value)}"`);
  return n;
}
