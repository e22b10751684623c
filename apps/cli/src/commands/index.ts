import type { Command } from 'commander';
import { registerStartCommand } from './start.command.ts';

/** Each command lives in its own `<name>.command.ts` and registers itself here. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
}
