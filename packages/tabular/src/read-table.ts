import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { unescapeCell } from './write-table.ts';

export type TableFormat = 'csv' | 'xlsx';

/** One problem of an import file; `message` is the one format: `FILE:LINE: field "x" …`. */
export type TableIssue = { file: string; line: number; field: string | null; message: string };

export type TableRow<T> = { line: number; value: T };
export type TableResult<T> = { ok: true; rows: TableRow<T>[] } | { ok: false; issues: TableIssue[] };

export type TableSpec<S extends z.ZodType> = {
  format: TableFormat;
  /** The file name the messages start with. */
  source: string;
  /** Header names (matched trimmed and case-insensitively); other columns are ignored. */
  columns: Record<string, 'required' | 'optional'>;
  /**
   * Parses one row: an object of the declared columns' trimmed cell texts ('' when empty or absent),
   * with the `'` our exports put before formula-like text removed (`unescapeCell`).
   */
  row: S;
  /** A later row with the same key as an earlier one is an error on the field named here. */
  unique?: { field: string; key: (row: z.output<S>) => string | number }[];
  /** A file with a header but no data rows is an error (default: allowed, nothing to import). */
  requireRows?: boolean;
  /** Stop collecting after this many problems (default 20). */
  maxIssues?: number;
};

type RawRecord = { line: number; cells: string[] };

/** Thrown inside the readers; turned into the one issue the result carries. */
class FileProblem extends Error {
  constructor(
    readonly line: number,
    readonly field: string | null,
    problem: string,
  ) {
    super(problem);
  }
}

const describe = (source: string, line: number, field: string | null, problem: string) =>
  `${source}:${line}: ${field === null ? '' : `field "${field}" `}${problem}`;

function decodeUtf8(data: Uint8Array): { text: string; isValid: boolean } {
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff))
    throw new FileProblem(1, null, 'is UTF-16 text; save the file as CSV UTF-8');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), isValid: true };
  } catch {
    // Decode anyway so the message can name the first cell that holds the bad bytes.
    return { text: new TextDecoder('utf-8').decode(data), isValid: false };
  }
}

function readCsvRecords(data: Uint8Array): { records: RawRecord[]; isValidUtf8: boolean } {
  const { text, isValid } = decodeUtf8(data);
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // One kind of line end: csv-parse counts a CRLF inside quotes as two lines.
    parsed = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      const problem =
        error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'has a quoted field that is never closed'
          : error.code === 'CSV_INVALID_CLOSING_QUOTE'
            ? 'has a quote inside an unquoted field (write "" for a quote inside quotes)'
            : `is not valid CSV (${error.code})`;
      throw new FileProblem(line, null, problem);
    }
    throw error;
  }
  // csv-parse reports the line a record ends on; it starts after the previous one (quoted newlines).
  const records: RawRecord[] = [];
  let nextLine = 1;
  for (const { record, info } of parsed) {
    records.push({ line: nextLine, cells: record });
    nextLine = info.lines + 1;
  }
  return { records, isValidUtf8: isValid };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Dates in a sheet have no zone (exceljs encodes the wall clock as UTC): write them without one. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
    return time === '00:00:00' ? date : `${date}T${time}`;
  }
  return cell.text ?? '';
}

async function readXlsxRecords(data: Uint8Array): Promise<RawRecord[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new FileProblem(1, null, 'is not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new FileProblem(1, null, 'has no sheet');
  const records: RawRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let col = 1; col <= row.cellCount; col++) cells.push(cellText(row.getCell(col)));
    records.push({ line: rowNumber, cells });
  });
  return records;
}

const isBlank = (r: RawRecord) => r.cells.every((c) => c.trim() === '');

/**
 * Reads a whole CSV or XLSX file into typed rows, or every problem (up to `maxIssues`) in the one
 * `FILE:LINE: field "x" …` format — line numbers are the file's lines (CSV) or the sheet's row numbers
 * (XLSX). Nothing is returned for a file with any problem: imports are all or nothing.
 */
export async function readTable<S extends z.ZodType>(
  data: Uint8Array,
  spec: TableSpec<S>,
): Promise<TableResult<z.output<S>>> {
  const { source } = spec;
  const fail = (line: number, field: string | null, problem: string): TableResult<z.output<S>> => ({
    ok: false,
    issues: [{ file: source, line, field, message: describe(source, line, field, problem) }],
  });
  let records: RawRecord[];
  let isValidUtf8 = true;
  try {
    if (spec.format === 'xlsx') records = await readXlsxRecords(data);
    else ({ records, isValidUtf8 } = readCsvRecords(data));
  } catch (error) {
    if (error instanceof FileProblem) return fail(error.line, error.field, error.message);
    throw error;
  }
  records = records.filter((r) => !isBlank(r));
  const [header, ...rows] = records;
  if (!header) return fail(1, null, 'is empty (expected a header row)');

  const names = header.cells.map((name) => name.trim().toLowerCase());
  const index = new Map<string, number>();
  for (const [name, need] of Object.entries(spec.columns)) {
    const at = names.indexOf(name);
    if (names.lastIndexOf(name) !== at) return fail(header.line, name, 'appears twice in the header row');
    if (at >= 0) index.set(name, at);
    else if (need === 'required')
      return fail(header.line, name, `is missing from the header row (it has: ${names.join(', ')})`);
  }
  if (spec.requireRows && rows.length === 0) return fail(header.line + 1, null, 'has no data rows');

  const maxIssues = spec.maxIssues ?? 20;
  const issues: TableIssue[] = [];
  const add = (line: number, field: string | null, problem: string) => {
    if (issues.length < maxIssues)
      issues.push({ file: source, line, field, message: describe(source, line, field, problem) });
  };
  const out: TableRow<z.output<S>>[] = [];
  const seen = (spec.unique ?? []).map(() => new Map<string | number, number>());
  for (const { line, cells } of rows) {
    if (issues.length >= maxIssues) break;
    const values: Record<string, string> = {};
    let isReadable = true;
    for (const name of Object.keys(spec.columns)) {
      const at = index.get(name);
      const text = at === undefined ? '' : (cells[at] ?? '');
      if (text.includes('\u0000')) {
        add(line, name, 'contains a NUL character (the file is not text, or not UTF-8)');
        isReadable = false;
      } else if (!isValidUtf8 && text.includes('\uFFFD')) {
        add(line, name, 'is not valid UTF-8 text (save the file as CSV UTF-8)');
        isReadable = false;
      }
      values[name] = unescapeCell(text.trim());
    }
    if (!isReadable) continue;
    const parsed = spec.row.safeParse(values);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(line, String(issue.path[0] ?? 'row'), issue.message);
      continue;
    }
    let isUnique = true;
    (spec.unique ?? []).forEach(({ field, key }, i) => {
      const k = key(parsed.data);
      const first = seen[i]!.get(k);
      if (first !== undefined) {
        add(line, field, `repeats "${values[field] ?? k}" of line ${first}`);
        isUnique = false;
      } else seen[i]!.set(k, line);
    });
    if (isUnique) out.push({ line, value: parsed.data });
  }
  // Bad bytes outside the declared columns still mean the file was not saved as UTF-8.
  if (issues.length === 0 && !isValidUtf8)
    return fail(1, null, 'is not valid UTF-8 text (save the file as CSV UTF-8)');
  return issues.length ? { ok: false, issues } : { ok: true, rows: out };
}

export function formatFromName(name: string): TableFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}
