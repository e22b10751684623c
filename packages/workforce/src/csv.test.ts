import { describe, expect, it } from 'vitest';
import { assertUniqueStarts, parseCsv, readTimedCsv } from './csv.ts';
import { WorkforceInputError } from './workforce-error.ts';

describe('CSV readers', () => {
  it('reads timestamp,count rows sorted, with quoting, BOM and blank lines', () => {
    const text = '\uFEFFtimestamp,count\n2024-11-11T00:30:00+08:00,"5"\n\n2024-11-11T00:00:00+08:00,3\n';
    const file = readTimedCsv(text, 'H.csv', 'timestamp', 'count');
    expect(file.offsetMinutes).toBe(480);
    expect(file.points.map((p) => [p.value, p.line])).toEqual([
      [3, 4],
      [5, 2],
    ]);
  });

  it('names file, line and field for a non-number', () => {
    const text = 'timestamp,count\n2024-11-11T00:00:00Z,1\n2024-11-11T00:30:00Z,abc\n';
    expect(() => readTimedCsv(text, 'H.csv', 'timestamp', 'count')).toThrow(
      'H.csv line 3, field "count": "abc" is not a number',
    );
  });

  it('names the field for negative values, bad times and missing columns', () => {
    expect(() =>
      readTimedCsv('timestamp,count\n2024-11-11T00:00:00Z,-2\n', 'H.csv', 'timestamp', 'count'),
    ).toThrow('H.csv line 2, field "count": -2 is negative');
    expect(() => readTimedCsv('timestamp,count\nnoon,2\n', 'H.csv', 'timestamp', 'count')).toThrow(
      'H.csv line 2, field "timestamp": "noon" is not an ISO 8601 timestamp',
    );
    expect(() => parseCsv('time,count\n', 'H.csv', ['timestamp', 'count'])).toThrow(
      /H.csv line 1, field "timestamp": missing column/,
    );
    expect(() => parseCsv('', 'H.csv', ['timestamp'])).toThrow(WorkforceInputError);
  });

  it('rejects duplicate intervals with both lines', () => {
    const file = readTimedCsv('t,v\n2024-11-11T00:00:00Z,1\n2024-11-11T00:00:00Z,2\n', 'R.csv', 't', 'v');
    expect(() => assertUniqueStarts(file.points, 'R.csv', 't')).toThrow(
      'R.csv line 3, field "t": duplicate interval (same time as line 2)',
    );
  });
});
