/**
 * The `tsapply` sub-commands, in the order `tsapply --help` lists them. A new command
 * is a module exporting a `CommandModule`, added to this list.
 */
import type { CommandModule } from './command-module.js';
import { benchCommand } from './bench-command.js';
import { bundleCommand } from './bundle-command.js';
import { runCommand } from './run-command.js';
import { sparkCommand } from './spark-command.js';

export const COMMANDS: CommandModule[] = [
  runCommand,
  bundleCommand,
  sparkCommand,
  benchCommand,
];
