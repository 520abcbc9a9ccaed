import { compareCommand } from './commands/compare.js';
import { convertCommand } from './commands/convert.js';
import { demoCommand } from './commands/demo.js';
import { evalCommand } from './commands/eval.js';
import { evaluateCommand } from './commands/evaluate.js';
import { predictCommand } from './commands/predict.js';
import { serveCommand } from './commands/serve.js';
import { statsCommand } from './commands/stats.js';
import { trainCommand } from './commands/train.js';
import { parseCommandArgs, processIO, UsageError, type CliIO, type Command } from './command.js';

export const COMMANDS: Command[] = [demoCommand, trainCommand, evalCommand, predictCommand, serveCommand, compareCommand, statsCommand, evaluateCommand, convertCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: spanrel <command> [options]   (spanrel <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/**
 * Runs `spanrel <argv>` and returns the exit code: 0 done, 1 the input was wrong
 * (bad data file, ...), 2 the command line was wrong.
 */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`spanrel: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    const values = parseCommandArgs(command, rest);
    if (values.help) {
      io.out(`usage: ${command.usage}`);
      return 0;
    }
    return await command.run(values, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`spanrel ${command.name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    // Data and file errors carry their own location (file, document, field): print them as they are.
    io.err(`spanrel ${command.name}: ${(error as Error).message}`);
    return 1;
  }
}
