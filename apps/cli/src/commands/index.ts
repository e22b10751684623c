import type { Command } from 'commander';
import { registerAdminCommand } from './admin.command.ts';
import { registerBotCommand } from './bot.command.ts';
import { addExamplesToHelp } from './examples.ts';
import { registerForecastCommand } from './forecast.command.ts';
import { registerKbCommand } from './kb.command.ts';
import { registerOrgCommand } from './org.command.ts';
import { registerScheduleCommand } from './schedule.command.ts';
import { registerSimulateCommand } from './simulate.command.ts';
import { registerStaffingCommand } from './staffing.command.ts';
import { registerStartCommand } from './start.command.ts';

/** Each command lives in its own `<name>.command.ts` and registers itself here. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
  registerAdminCommand(program);
  registerOrgCommand(program);
  registerSimulateCommand(program);
  registerForecastCommand(program);
  registerStaffingCommand(program);
  registerScheduleCommand(program);
  registerKbCommand(program);
  registerBotCommand(program);
  addExamplesToHelp(program);
}
