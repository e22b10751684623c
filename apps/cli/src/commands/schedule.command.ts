import {
  assertUniqueStarts,
  formatIsoTimestamp,
  isOnIntervalGrid,
  readTimedCsv,
  type ShiftDefinitions,
  solveSchedule,
  validateShiftDefinitions,
} from '@peakdesk/workforce';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import {
  formatTable,
  parseNumberFlag,
  readInputFile,
  roundForOutput,
  withInputErrors,
} from './workforce-input.ts';

type ScheduleFlags = {
  requirements: string;
  shifts: string;
  timeLimit: string;
  gap: string;
  json?: boolean;
};

function parseShiftsJson(text: string, fileName: string): ShiftDefinitions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${fileName}: invalid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${fileName}: expected an object with intervalMinutes and shiftTypes`);
  }
  const shiftTypes = (value as { shiftTypes?: unknown }).shiftTypes;
  if (!Array.isArray(shiftTypes)) throw new CliError(`${fileName}, field "shiftTypes": must be a list`);
  shiftTypes.forEach((type, i) => {
    if (typeof type !== 'object' || type === null || Array.isArray(type)) {
      throw new CliError(`${fileName}, field "shiftTypes[${i}]": must be an object`);
    }
    const breaks = (type as { breaks?: unknown }).breaks;
    if (
      breaks !== undefined &&
      (!Array.isArray(breaks) || breaks.some((b) => typeof b !== 'object' || b === null))
    ) {
      throw new CliError(`${fileName}, field "shiftTypes[${i}].breaks": must be a list of objects`);
    }
  });
  // The structure is checked above; every field value is checked by validateShiftDefinitions.
  return value as ShiftDefinitions;
}

export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description('choose shifts (with breaks) covering a requirement curve at least cost (no database)')
    .requiredOption('--requirements <csv>', 'CSV with columns interval_start,required')
    .requiredOption('--shifts <json>', 'shift definitions: intervalMinutes, shiftTypes, maxPartTimeShare, …')
    .option('--time-limit <seconds>', 'solver time limit', '30')
    .option('--gap <fraction>', 'stop when within this relative gap of the optimum', '0.001')
    .action(async (_opts, command: Command) => {
      const o = command.optsWithGlobals<ScheduleFlags>();
      const timeLimitSeconds = parseNumberFlag(o.timeLimit, '--time-limit', { min: 0, minExclusive: true });
      const mipRelGap = parseNumberFlag(o.gap, '--gap', { min: 0, max: 1 });
      const definitions = parseShiftsJson(await readInputFile(o.shifts), o.shifts);
      await withInputErrors(() => validateShiftDefinitions(definitions), `${o.shifts}`);
      const text = await readInputFile(o.requirements);
      const file = await withInputErrors(() => {
        const parsed = readTimedCsv(text, o.requirements, 'interval_start', 'required');
        assertUniqueStarts(parsed.points, o.requirements, 'interval_start');
        return parsed;
      });
      for (const point of file.points) {
        if (!isOnIntervalGrid(point.start, definitions.intervalMinutes)) {
          throw new CliError(
            `${o.requirements} line ${point.line}, field "interval_start": not on the ${definitions.intervalMinutes}-minute grid of ${o.shifts}`,
          );
        }
      }
      const result = await withInputErrors(
        () =>
          solveSchedule({
            requirements: file.points.map((p) => ({ start: p.start, required: p.value })),
            definitions,
            timeLimitSeconds,
            mipRelGap,
          }),
        o.shifts,
      );
      const iso = (ms: number) => formatIsoTimestamp(ms, file.offsetMinutes);
      const output = {
        status: result.status,
        message: result.message,
        cost: roundForOutput(result.cost),
        gap: roundForOutput(result.gap),
        shortfall: roundForOutput(result.shortfall),
        shifts: result.shifts.map((s) => ({
          type: s.type,
          start: iso(s.start),
          end: iso(s.end),
          breaks: s.breaks.map((b) => ({ start: iso(b.start), end: iso(b.end) })),
          count: s.count,
        })),
        coverage: result.coverage.map((c) => ({
          interval_start: iso(c.start),
          required: c.required,
          scheduled: c.scheduled,
        })),
      };
      if (o.json) {
        process.stdout.write(`${JSON.stringify(output)}\n`);
        return;
      }
      const lines = [
        `status: ${output.status} (${output.message})`,
        `cost: ${output.cost}   gap: ${output.gap === null ? '-' : `${((output.gap ?? 0) * 100).toFixed(2)}%`}`,
        '',
        formatTable(
          ['type', 'start', 'end', 'breaks', 'count'],
          output.shifts.map((s) => [
            s.type,
            s.start,
            s.end,
            s.breaks.map((b) => `${b.start.slice(11, 16)}–${b.end.slice(11, 16)}`).join(' ') || '-',
            String(s.count),
          ]),
        ),
        '',
        formatTable(
          ['interval_start', 'required', 'scheduled'],
          output.coverage.map((c) => [c.interval_start, String(c.required), String(c.scheduled)]),
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
