import { compareCommand } from './commands/compare.js';
import { convertCommand } from './commands/convert.js';
import { demoCommand } from './commands/demo.js';
import { evalCommand } from './commands/eval.js';
import { evaluateCommand } from './commands/evaluate.js';
import { predictCommand } from './commands/predict.js';
import { queueStatusCommand, queueSubmitCommand } from './commands/queue.js';
import { reportCommand } from './commands/report.js';
import { serveCommand } from './commands/serve.js';
import { statsCommand } from './commands/stats.js';
import { trainCommand } from './commands/train.js';
import { workerCommand } from './commands/worker.js';
import { parseCommandArgs, processIO, UsageError, type CliIO, type Command } from './command.js';

/** Every command; a name of several words is a sub-command (`spanrel queue submit ...`). */
export const COMMANDS: Command[] = [
  demoCommand,
  trainCommand,
  evalCommand,
  predictCommand,
  serveCommand,
  compareCommand,
  reportCommand,
  statsCommand,
  evaluateCommand,
  convertCommand,
  queueSubmitCommand,
  queueStatusCommand,
  workerCommand,
];

function overview(commands: Command[] = COMMANDS, usage = 'spanrel <command> [options]   (spanrel <command> --help for its options)'): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [`usage: ${usage}`, '', ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** The command `argv` starts with (all the words of its name) and the arguments after it. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/**
 * Runs `spanrel <argv>` and returns the exit code: 0 done, 1 the input was wrong
 * (bad data file, ...), 2 the command line was wrong.
 */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name ? 0 : 2;
  }
  const found = findCommand(argv);
  if (!found) {
    // `spanrel queue` (or `spanrel queue nope`): the sub-commands of that word.
    const group = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
    const help = argv[1] === '--help' || argv[1] === '-h';
    if (group.length > 0) {
      const listing = overview(group, `spanrel ${name} <${group.map((c) => c.name.split(' ')[1]).join('|')}> [options]`);
      if (help) io.out(listing);
      else io.err(`${argv[1] === undefined ? `spanrel ${name}: give a sub-command` : `spanrel: unknown command "${name} ${argv[1]}"`}\n\n${listing}`);
      return help ? 0 : 2;
    }
    io.err(`spanrel: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  const { command, rest } = found;
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
