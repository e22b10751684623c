import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readTable } from './read-table.ts';
import { addEscapedRows, escapeCell, unescapeCell, writeCsv } from './write-table.ts';

const DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];

describe('escapeCell', () => {
  it.each(DANGEROUS)('puts a quote before formula-like text %j', (text) => {
    expect(escapeCell(text)).toBe(`'${text}`);
    expect(unescapeCell(`'${text}`)).toBe(text);
  });

  it('leaves numbers, other text and mid-text signs alone', () => {
    for (const v of [-5, 0, 3.5, null, '', '满300减50', 'a=b', '2025-11-11', "'plain"])
      expect(escapeCell(v)).toBe(v);
    expect(unescapeCell("'plain")).toBe("'plain");
  });
});

const spec = {
  format: 'csv' as const,
  source: 'x.csv',
  columns: { a: 'required', b: 'required' } as const,
  row: z.object({ a: z.string(), b: z.string() }),
};

describe('writeCsv', () => {
  it('escapes formula cells, quotes, and reads back as the text written', async () => {
    const csv = writeCsv([
      ['a', 'b'],
      ['=1+1', 'say "hi", ok'],
      ['@cmd', '-x'],
    ]);
    expect(csv).toBe(`\uFEFFa,b\r\n'=1+1,"say ""hi"", ok"\r\n'@cmd,'-x\r\n`);
    expect(await readTable(Buffer.from(csv), spec)).toEqual({
      ok: true,
      rows: [
        { line: 2, value: { a: '=1+1', b: 'say "hi", ok' } },
        { line: 3, value: { a: '@cmd', b: '-x' } },
      ],
    });
  });
});

describe('addEscapedRows', () => {
  it('writes formula-like text as quoted text cells, never formulas, and reads back', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    addEscapedRows(sheet, [
      ['a', 'b'],
      [DANGEROUS[0], -7],
      ['+1+1', '@SUM(A1)'],
    ]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());

    const back = new ExcelJS.Workbook();
    await back.xlsx.load(data as unknown as ArrayBuffer);
    const read = back.worksheets[0]!;
    expect(read.getRow(2).getCell(1).value).toBe(`'${DANGEROUS[0]}`);
    expect(read.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(read.getRow(2).getCell(2).value).toBe(-7);
    expect(read.getRow(3).values).toEqual([undefined, "'+1+1", "'@SUM(A1)"]);

    expect(await readTable(data, { ...spec, format: 'xlsx' })).toEqual({
      ok: true,
      rows: [
        { line: 2, value: { a: DANGEROUS[0], b: '-7' } },
        { line: 3, value: { a: '+1+1', b: '@SUM(A1)' } },
      ],
    });
  });
});
