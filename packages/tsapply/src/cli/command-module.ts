/**
 * A CLI command module: registers one (or a group of) `tsapply` sub-command(s) on the
 * commander program. `commands.ts` lists the modules in help order.
 */
import type { Command } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}
