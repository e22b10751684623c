import { type ParsedTimestamp, parseIsoTimestamp, toWallClock, type WallClockMs } from './time.ts';
import { WorkforceInputError } from './workforce-error.ts';

export type CsvRow = {
  /** 1-based physical line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
};

export type CsvTable = {
  fileName: string;
  columns: string[];
  rows: CsvRow[];
};

function fail(fileName: string, line: number, field: string | undefined, detail: string): never {
  const where =
    field === undefined ? `${fileName} line ${line}` : `${fileName} line ${line}, field "${field}"`;
  throw new WorkforceInputError(`${where}: ${detail}`, { file: fileName, line, ...(field ? { field } : {}) });
}

/** Splits one CSV record (RFC 4180 quoting; records never span lines in our inputs). */
function splitRecord(text: string, fileName: string, line: number): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (quoted) fail(fileName, line, undefined, 'unterminated quoted field');
  cells.push(cell.trim());
  return cells;
}

/**
 * Parses a CSV text with a header row. Blank lines are skipped; every other line must have a value for
 * each `required` column. Column names are matched case-insensitively and trimmed.
 */
export function parseCsv(text: string, fileName: string, required: readonly string[]): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) fail(fileName, 1, undefined, 'file is empty (expected a header row)');
  const columns = splitRecord(lines[headerIndex] ?? '', fileName, headerIndex + 1).map((c) =>
    c.toLowerCase(),
  );
  for (const name of required) {
    if (!columns.includes(name)) {
      fail(fileName, headerIndex + 1, name, `missing column (header has: ${columns.join(', ')})`);
    }
  }
  const rows: CsvRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const cells = splitRecord(raw, fileName, i + 1);
    const values: Record<string, string> = {};
    columns.forEach((name, c) => {
      values[name] = cells[c] ?? '';
    });
    for (const name of required) {
      if ((values[name] ?? '') === '') fail(fileName, i + 1, name, 'value is missing');
    }
    rows.push({ line: i + 1, values });
  }
  return { fileName, columns, rows };
}

/** Reads a number cell; `nonNegative` rejects negatives with a message naming file, line and field. */
export function readNumberCell(
  table: CsvTable,
  row: CsvRow,
  field: string,
  { nonNegative = true }: { nonNegative?: boolean } = {},
): number {
  const text = row.values[field] ?? '';
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) fail(table.fileName, row.line, field, `"${text}" is not a number`);
  if (nonNegative && value < 0) fail(table.fileName, row.line, field, `${text} is negative`);
  return value;
}

/** Reads an ISO 8601 timestamp cell. */
export function readTimestampCell(table: CsvTable, row: CsvRow, field: string): ParsedTimestamp {
  const text = row.values[field] ?? '';
  const parsed = parseIsoTimestamp(text);
  if (!parsed) fail(table.fileName, row.line, field, `"${text}" is not an ISO 8601 timestamp`);
  return parsed;
}

export type TimedValue = { start: WallClockMs; value: number; line: number };

export type TimedSeriesFile = {
  /** Offset of the first timestamp; output is written back with it. */
  offsetMinutes: number | null;
  points: TimedValue[];
};

/**
 * Reads a `<timeField>,<valueField>` CSV into wall-clock points (all moved onto the first row's offset)
 * sorted by time. Extra columns are returned through `extra` when asked for.
 */
export function readTimedCsv(
  text: string,
  fileName: string,
  timeField: string,
  valueField: string,
): TimedSeriesFile & { table: CsvTable } {
  const table = parseCsv(text, fileName, [timeField, valueField]);
  if (table.rows.length === 0) fail(fileName, 2, undefined, 'no data rows');
  let offsetMinutes: number | null | undefined;
  const points: TimedValue[] = table.rows.map((row) => {
    const parsed = readTimestampCell(table, row, timeField);
    if (offsetMinutes === undefined) offsetMinutes = parsed.offsetMinutes;
    return {
      start: toWallClock(parsed, offsetMinutes),
      value: readNumberCell(table, row, valueField),
      line: row.line,
    };
  });
  points.sort((a, b) => a.start - b.start);
  return { offsetMinutes: offsetMinutes ?? null, points, table };
}

/** Reject a second row for the same interval: silently summing or dropping it would hide a data error. */
export function assertUniqueStarts(points: readonly TimedValue[], fileName: string, field: string): void {
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1];
    const cur = points[i];
    if (prev && cur && prev.start === cur.start) {
      fail(fileName, cur.line, field, `duplicate interval (same time as line ${prev.line})`);
    }
  }
}
