import {
  aggregateToIntervals,
  assertUniqueStarts,
  FORECAST_METHODS,
  type ForecastMethod,
  forecastSeries,
  formatIsoTimestamp,
  readTimedCsv,
} from '@peakdesk/workforce';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import {
  parseDurationFlag,
  parseIntervalFlag,
  readInputFile,
  roundForOutput,
  withInputErrors,
} from './workforce-input.ts';

type ForecastFlags = {
  history: string;
  interval: string;
  horizon: string;
  method: string;
  promotionDates?: string;
  verbose?: boolean;
  json?: boolean;
};

export function registerForecastCommand(program: Command): void {
  program
    .command('forecast')
    .description('forecast consultation volume per interval from a timestamp,count history (no database)')
    .requiredOption('--history <file>', 'CSV with columns timestamp,count (ISO 8601)')
    .option('--interval <duration>', 'interval length: 15m, 30m or 60m', '30m')
    .option('--horizon <duration>', 'how far ahead, e.g. 7d or 48h', '7d')
    .option('--method <method>', `auto | ${FORECAST_METHODS.join(' | ')}`, 'auto')
    .option('--promotion-dates <dates>', 'comma-separated YYYY-MM-DD promotion days, past and planned')
    .option('--verbose', 'print the chosen method and backtest scores to stderr')
    .action(async (_opts, command: Command) => {
      const o = command.optsWithGlobals<ForecastFlags>();
      const intervalMinutes = parseIntervalFlag(o.interval);
      const horizonMinutes = parseDurationFlag(o.horizon, '--horizon');
      if (horizonMinutes % intervalMinutes !== 0) {
        throw new CliError(`--horizon: ${o.horizon} is not a whole number of ${o.interval} intervals`);
      }
      const method = o.method as ForecastMethod | 'auto';
      if (method !== 'auto' && !FORECAST_METHODS.includes(method)) {
        throw new CliError(`--method: "${o.method}" is not one of auto, ${FORECAST_METHODS.join(', ')}`);
      }
      const promotionDates = (o.promotionDates ?? '')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean);
      for (const date of promotionDates) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
          throw new CliError(`--promotion-dates: "${date}" is not YYYY-MM-DD`);
      }
      const text = await readInputFile(o.history);
      const file = await withInputErrors(() => {
        const parsed = readTimedCsv(text, o.history, 'timestamp', 'count');
        assertUniqueStarts(parsed.points, o.history, 'timestamp');
        return parsed;
      });
      const result = await withInputErrors(() => {
        const series = aggregateToIntervals(
          file.points.map((p) => ({ start: p.start, count: p.value })),
          intervalMinutes,
        );
        if (series.values.length === 0) {
          throw new CliError(`${o.history}: history is shorter than one ${o.interval} interval`);
        }
        return forecastSeries(series, {
          horizonIntervals: horizonMinutes / intervalMinutes,
          method,
          promotionDates,
        });
      }, o.history);
      if (o.verbose) {
        process.stderr.write(`forecast method: ${result.method}\n`);
        for (const s of result.backtest) {
          process.stderr.write(
            `  ${s.method}: WAPE ${s.wape?.toFixed(2) ?? '-'}%  MAPE ${s.mape?.toFixed(2) ?? '-'}%\n`,
          );
        }
      }
      const step = intervalMinutes * 60_000;
      const lines = result.values.map((value, k) => {
        const timestamp = formatIsoTimestamp(result.start + k * step, file.offsetMinutes);
        const forecast = roundForOutput(value) ?? 0;
        return o.json ? JSON.stringify({ timestamp, forecast }) : `${timestamp},${forecast}`;
      });
      process.stdout.write(`${o.json ? '' : 'timestamp,forecast\n'}${lines.join('\n')}\n`);
    });
}
