import { readFile } from 'node:fs/promises';
import { parseDurationMinutes, WorkforceInputError } from '@peakdesk/workforce';
import { CliError } from '../cli-error.ts';

/** Shared by the forecast, staffing and schedule commands: file reading, flag parsing, output. */

export async function readInputFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`,
    );
  }
}

/** Runs engine code and turns its input errors into one-line CLI errors (prefixed with `prefix`). */
export async function withInputErrors<T>(work: () => T | Promise<T>, prefix = ''): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WorkforceInputError) {
      const alreadyNamesFile = error.location.file !== undefined;
      throw new CliError(alreadyNamesFile || prefix === '' ? error.message : `${prefix}: ${error.message}`);
    }
    throw error;
  }
}

export function parseDurationFlag(value: string, flag: string): number {
  const minutes = parseDurationMinutes(value);
  if (minutes === null) throw new CliError(`${flag}: "${value}" is not a duration like 15m, 30m, 1h or 7d`);
  return minutes;
}

/** Interval lengths the engine supports: whole minutes dividing a day (15m, 30m, 60m, …). */
export function parseIntervalFlag(value: string): number {
  const minutes = parseDurationFlag(value, '--interval');
  if (1440 % minutes !== 0)
    throw new CliError(`--interval: "${value}" must divide a day (e.g. 15m, 30m, 60m)`);
  return minutes;
}

type NumberRule = {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
};

export function parseNumberFlag(value: string, flag: string, rule: NumberRule = {}): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new CliError(`${flag}: "${value}" is not a number`);
  if (rule.integer && !Number.isInteger(n)) throw new CliError(`${flag}: "${value}" must be a whole number`);
  const tooLow = rule.min !== undefined && (rule.minExclusive ? n <= rule.min : n < rule.min);
  const tooHigh = rule.max !== undefined && (rule.maxExclusive ? n >= rule.max : n > rule.max);
  if (tooLow || tooHigh) {
    const low = rule.min === undefined ? '' : `${rule.minExclusive ? '>' : '≥'} ${rule.min}`;
    const high = rule.max === undefined ? '' : `${rule.maxExclusive ? '<' : '≤'} ${rule.max}`;
    throw new CliError(`${flag}: ${value} must be ${[low, high].filter(Boolean).join(' and ')}`);
  }
  return n;
}

export function optionalNumberFlag(
  value: string | undefined,
  flag: string,
  rule: NumberRule = {},
): number | undefined {
  return value === undefined ? undefined : parseNumberFlag(value, flag, rule);
}

/** Rounds for output: six decimals are far below any staffing or forecast precision that matters. */
export function roundForOutput(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value)) return null;
  return Math.round(value * 1e6) / 1e6;
}

/** Left-aligned text table for the non-JSON output. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
