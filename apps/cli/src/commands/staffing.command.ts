import {
  computeStaffing,
  formatIsoTimestamp,
  parseCsv,
  readNumberCell,
  readTimestampCell,
  STAFFING_MODELS,
  type StaffingModel,
  type StaffingRequest,
  type StaffingResult,
  toWallClock,
} from '@peakdesk/workforce';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import {
  formatTable,
  optionalNumberFlag,
  parseIntervalFlag,
  parseNumberFlag,
  readInputFile,
  roundForOutput,
  withInputErrors,
} from './workforce-input.ts';

type StaffingFlags = {
  model: string;
  volume?: string;
  file?: string;
  interval: string;
  aht?: string;
  targetSeconds?: string;
  serviceLevel: string;
  patience?: string;
  concurrency?: string;
  maxOccupancy?: string;
  shrinkage?: string;
  capacity?: string;
  json?: boolean;
};

type OutputRow = { interval_start?: string } & Record<
  'model' | 'agents' | 'positions' | 'serviceLevel' | 'asa' | 'waitProbability' | 'occupancy' | 'abandonRate',
  string | number | null
>;

function toOutput(result: StaffingResult): OutputRow {
  return {
    model: result.model,
    agents: result.agents,
    positions: result.positions,
    serviceLevel: roundForOutput(result.serviceLevel),
    asa: roundForOutput(result.asa),
    waitProbability: roundForOutput(result.waitProbability),
    occupancy: roundForOutput(result.occupancy),
    abandonRate: roundForOutput(result.abandonRate),
  };
}

const percent = (v: string | number | null) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '-');

function printTable(rows: readonly OutputRow[], withInterval: boolean): void {
  const header = [
    ...(withInterval ? ['interval_start'] : []),
    'model',
    'agents',
    'positions',
    'service level',
    'ASA (s)',
    'P(wait)',
    'occupancy',
    'abandon',
  ];
  const body = rows.map((r) => [
    ...(withInterval ? [r.interval_start ?? ''] : []),
    String(r.model),
    String(r.agents),
    String(r.positions),
    percent(r.serviceLevel),
    typeof r.asa === 'number' ? r.asa.toFixed(1) : '-',
    percent(r.waitProbability),
    percent(r.occupancy),
    percent(r.abandonRate),
  ]);
  process.stdout.write(`${formatTable(header, body)}\n`);
}

export function registerStaffingCommand(program: Command): void {
  program
    .command('staffing')
    .description(
      'agents and scheduled positions per interval: simple rule, Erlang C or Erlang A (no database)',
    )
    .requiredOption('--model <model>', STAFFING_MODELS.join(' | '))
    .option('--volume <n>', 'contacts arriving in the interval')
    .option('--file <csv>', 'CSV with columns interval_start,volume[,aht]: one result per interval')
    .option('--interval <duration>', 'interval length', '30m')
    .option('--aht <seconds>', 'average handle time of one contact handled alone')
    .option('--target-seconds <seconds>', 'service-level answer-time target')
    .option('--service-level <fraction>', 'share to answer within the target', '0.8')
    .option('--patience <seconds>', 'mean customer patience (erlang-a)')
    .option('--concurrency <k>', 'chats one agent serves at once')
    .option('--max-occupancy <fraction>', 'occupancy cap, e.g. 0.85')
    .option('--shrinkage <fraction>', 'share of paid time unavailable, e.g. 0.3')
    .option('--capacity <per-hour>', 'simple model: contacts per agent-hour', '360')
    .action(async (_opts, command: Command) => {
      const o = command.optsWithGlobals<StaffingFlags>();
      const model = o.model as StaffingModel;
      if (!STAFFING_MODELS.includes(model)) {
        throw new CliError(`--model: "${o.model}" is not one of ${STAFFING_MODELS.join(', ')}`);
      }
      if ((o.volume === undefined) === (o.file === undefined)) {
        throw new CliError('give exactly one of --volume N or --file V.csv');
      }
      const isErlang = model !== 'simple';
      if (isErlang && o.targetSeconds === undefined)
        throw new CliError(`--target-seconds is required for --model ${model}`);
      if (model === 'erlang-a' && o.patience === undefined)
        throw new CliError('--patience is required for --model erlang-a');
      if (isErlang && o.aht === undefined && o.file === undefined)
        throw new CliError(`--aht is required for --model ${model}`);
      const base: Omit<StaffingRequest, 'volume'> = {
        model,
        intervalMinutes: parseIntervalFlag(o.interval),
        ahtSeconds: optionalNumberFlag(o.aht, '--aht', { min: 0, minExclusive: true }),
        targetSeconds: optionalNumberFlag(o.targetSeconds, '--target-seconds', { min: 0 }),
        serviceLevel: parseNumberFlag(o.serviceLevel, '--service-level', {
          min: 0,
          max: 1,
          minExclusive: true,
          maxExclusive: true,
        }),
        patienceSeconds: optionalNumberFlag(o.patience, '--patience', { min: 0, minExclusive: true }),
        concurrency: optionalNumberFlag(o.concurrency, '--concurrency', { min: 1, integer: true }),
        maxOccupancy: optionalNumberFlag(o.maxOccupancy, '--max-occupancy', {
          min: 0,
          max: 1,
          minExclusive: true,
        }),
        shrinkage: optionalNumberFlag(o.shrinkage, '--shrinkage', { min: 0, max: 1, maxExclusive: true }),
        capacityPerAgentHour: parseNumberFlag(o.capacity ?? '360', '--capacity', {
          min: 0,
          minExclusive: true,
        }),
      };
      if (o.volume !== undefined) {
        const volume = parseNumberFlag(o.volume, '--volume', { min: 0 });
        const row = toOutput(await withInputErrors(() => computeStaffing({ ...base, volume })));
        if (o.json) process.stdout.write(`${JSON.stringify(row)}\n`);
        else printTable([row], false);
        return;
      }
      const fileName = o.file ?? '';
      const text = await readInputFile(fileName);
      const rows = await withInputErrors(() => {
        const table = parseCsv(text, fileName, ['interval_start', 'volume']);
        const hasAht = table.columns.includes('aht');
        if (isErlang && base.ahtSeconds === undefined && !hasAht) {
          throw new CliError(`${fileName}: needs an aht column or the --aht flag for --model ${model}`);
        }
        let offset: number | null | undefined;
        return table.rows.map((row) => {
          const parsed = readTimestampCell(table, row, 'interval_start');
          if (offset === undefined) offset = parsed.offsetMinutes;
          const volume = readNumberCell(table, row, 'volume');
          const rowAht =
            hasAht && (row.values.aht ?? '') !== '' ? readNumberCell(table, row, 'aht') : undefined;
          if (rowAht !== undefined && rowAht <= 0) {
            throw new CliError(`${fileName} line ${row.line}, field "aht": ${rowAht} must be positive`);
          }
          const result = computeStaffing({ ...base, volume, ahtSeconds: rowAht ?? base.ahtSeconds });
          const interval_start = formatIsoTimestamp(toWallClock(parsed, offset), offset);
          return { interval_start, ...toOutput(result) };
        });
      }, fileName);
      if (o.json) process.stdout.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      else printTable(rows, true);
    });
}
