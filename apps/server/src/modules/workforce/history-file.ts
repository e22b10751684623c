import { type ParsedTimestamp, parseIsoTimestamp, toWallClock } from '@peakdesk/workforce';
import { z } from 'zod';
import { readTableOrThrow } from '../../http/table-import.ts';

export type HistoryFile = {
  /** UTC offset of the timestamps (minutes), null when they carried none. */
  offsetMinutes: number | null;
  /** [wall-clock ms, count] sorted by time. */
  points: [number, number][];
};

const ZHistoryRow = z.object({
  timestamp: z.string().transform((text, ctx): ParsedTimestamp => {
    const parsed = text ? parseIsoTimestamp(text) : null;
    if (parsed) return parsed;
    ctx.addIssue({ code: 'custom', message: text ? `"${text}" is not an ISO 8601 timestamp` : 'is empty' });
    return z.NEVER;
  }),
  count: z.string().transform((text, ctx) => {
    const value = text === '' ? Number.NaN : Number(text);
    if (Number.isFinite(value) && value >= 0) return value;
    ctx.addIssue({
      code: 'custom',
      message:
        text === ''
          ? 'is empty'
          : Number.isFinite(value)
            ? `${text} is negative`
            : `"${text}" is not a number`,
    });
    return z.NEVER;
  }),
});

/**
 * Reads a `timestamp,count` history (CSV or XLSX) and validates every row before anything is stored:
 * a bad row rejects the whole file with a message naming file, line and field. Times are moved onto
 * the first row's offset; XLSX date cells (no zone) are taken in that offset too.
 */
export async function readHistoryFile(
  data: Buffer,
  format: 'csv' | 'xlsx',
  fileName: string,
): Promise<HistoryFile> {
  // Rows are keyed in file order: the first one fixes the offset every later row is moved onto.
  let firstOffset: number | null | undefined;
  const wallOf = (t: ParsedTimestamp) => {
    if (firstOffset === undefined) firstOffset = t.offsetMinutes;
    return toWallClock(t, firstOffset);
  };
  const rows = await readTableOrThrow(data, 'invalid_history_file', {
    format,
    source: fileName,
    columns: { timestamp: 'required', count: 'required' },
    row: ZHistoryRow,
    unique: [{ field: 'timestamp', key: (r) => wallOf(r.timestamp) }],
    requireRows: true,
  });
  const offsetMinutes = rows[0]!.value.timestamp.offsetMinutes;
  const points = rows.map(({ value }): [number, number] => [
    toWallClock(value.timestamp, offsetMinutes),
    value.count,
  ]);
  return { offsetMinutes, points: points.sort((a, b) => a[0] - b[0]) };
}
