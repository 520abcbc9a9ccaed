import { parseCommandArgs, UsageError, type CliIO, type Command } from '../command.js';

/** A `CliIO` that keeps what a command writes, for tests. */
export function captureIO(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += `${text}\n`;
    },
    err(text: string) {
      io.stderr += `${text}\n`;
    },
  };
  return io;
}

/** Runs a command as `runCli` does, with captured output: 2 for a usage error, 1 for any other error (message on stderr). */
export async function runCaptured(command: Command, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO();
  let code: number;
  try {
    code = await command.run(parseCommandArgs(command, argv), io);
  } catch (error) {
    io.err((error as Error).message);
    code = error instanceof UsageError ? 2 : 1;
  }
  return { code, stdout: io.stdout, stderr: io.stderr };
}
