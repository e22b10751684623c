import {
  assertUniqueStarts,
  formatIsoTimestamp,
  readTimedCsv,
  WorkforceInputError,
} from '@peakdesk/workforce';
import ExcelJS from 'exceljs';
import { DomainError } from '../../http/domain-error.ts';

export type HistoryFile = {
  /** UTC offset of the timestamps (minutes), null when they carried none. */
  offsetMinutes: number | null;
  /** [wall-clock ms, count] sorted by time. */
  points: [number, number][];
};

const fileError = (message: string, field?: string) =>
  new DomainError('invalid_input', 'invalid_history_file', message, field);

const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  // Excel dates have no zone: exceljs hands back the wall clock encoded as UTC, so write it without one.
  if (value instanceof Date) return formatIsoTimestamp(value.getTime(), null);
  return cell.text ?? '';
}

/**
 * Turns the first sheet into CSV text with one line per sheet row, so the engine's CSV reader (and its
 * "file line N, field F" messages) apply unchanged and line numbers are the sheet's row numbers.
 */
async function xlsxToCsv(data: Buffer, fileName: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw fileError(`${fileName} line 1: not a readable XLSX workbook`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fileError(`${fileName} line 1: the workbook has no sheet`);
  const lines: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let col = 1; col <= row.cellCount; col++) cells.push(quote(cellText(row.getCell(col))));
    while (lines.length < rowNumber - 1) lines.push('');
    lines.push(cells.join(','));
  });
  return lines.join('\n');
}

/**
 * Reads a `timestamp,count` history (CSV or XLSX) and validates every row before anything is stored:
 * a bad row rejects the whole file with a message naming file, line and field.
 */
export async function readHistoryFile(
  data: Buffer,
  format: 'csv' | 'xlsx',
  fileName: string,
): Promise<HistoryFile> {
  const text = format === 'xlsx' ? await xlsxToCsv(data, fileName) : data.toString('utf8');
  try {
    const file = readTimedCsv(text, fileName, 'timestamp', 'count');
    assertUniqueStarts(file.points, fileName, 'timestamp');
    return { offsetMinutes: file.offsetMinutes, points: file.points.map((p) => [p.start, p.value]) };
  } catch (error) {
    if (error instanceof WorkforceInputError) throw fileError(error.message, error.location.field);
    throw error;
  }
}
