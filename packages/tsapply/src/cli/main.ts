/**
 * The `tsapply` command line: a commander program built from the command modules in
 * `commands.ts`. Every failure exits with code 1 and one message on stderr.
 */
import { Command, CommanderError } from 'commander';
import { TSAPPLY_VERSION } from '../version.js';
import { COMMANDS } from './commands.js';

export function buildProgram(): Command {
  const program = new Command('tsapply')
    .description("spark_apply() for TypeScript: run a TypeScript function over a dataset, locally or on Spark.")
    .version(TSAPPLY_VERSION, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      process.exitCode = e.exitCode === 0 ? 0 : 1;
      return;
    }
    throw e;
  }
}

