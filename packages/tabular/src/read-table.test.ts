import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatFromName, readTable } from './read-table.ts';

const ZRow = z.object({
  sku: z.string().min(1, 'is empty'),
  qty: z.string().transform((v, ctx) => {
    const n = Number(v);
    if (v === '' || !Number.isInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a whole number` });
      return z.NEVER;
    }
    return n;
  }),
  note: z.string().max(5, 'is longer than 5 characters'),
});
const spec = {
  format: 'csv' as const,
  source: 'orders.csv',
  columns: { sku: 'required', qty: 'required', note: 'optional' } as const,
  row: ZRow,
  unique: [{ field: 'sku', key: (r: z.output<typeof ZRow>) => r.sku }],
};
const csv = (text: string | Uint8Array) =>
  readTable(typeof text === 'string' ? Buffer.from(text) : text, spec);

describe('readTable', () => {
  it('maps headers case-insensitively, trims, ignores unknown columns, strips the BOM', async () => {
    const r = await csv('\uFEFFExtra, SKU ,Qty\nx,a1, 2 \n\n,"b,2",3\n');
    expect(r).toEqual({
      ok: true,
      rows: [
        { line: 2, value: { sku: 'a1', qty: 2, note: '' } },
        { line: 4, value: { sku: 'b,2', qty: 3, note: '' } },
      ],
    });
  });

  it('counts lines across quoted newlines and CRLF', async () => {
    const r = await csv('sku,qty,note\r\n"a\r\nb",1,\r\nc,x,\r\n');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => i.message)).toEqual(['orders.csv:4: field "qty" "x" is not a whole number']);
  });

  it('collects every bad row in one format and returns no rows (all or nothing)', async () => {
    const r = await csv('sku,qty,note\na,1,ok\n,2,\nc,1.5,toolong\na,3,\n');
    expect(r).toEqual({
      ok: false,
      issues: [
        { file: 'orders.csv', line: 3, field: 'sku', message: 'orders.csv:3: field "sku" is empty' },
        {
          file: 'orders.csv',
          line: 4,
          field: 'qty',
          message: 'orders.csv:4: field "qty" "1.5" is not a whole number',
        },
        {
          file: 'orders.csv',
          line: 4,
          field: 'note',
          message: 'orders.csv:4: field "note" is longer than 5 characters',
        },
        {
          file: 'orders.csv',
          line: 5,
          field: 'sku',
          message: 'orders.csv:5: field "sku" repeats "a" of line 2',
        },
      ],
    });
  });

  it('names a missing or repeated header column, an empty file and broken quoting', async () => {
    const first = async (text: string) => {
      const r = await csv(text);
      return r.ok ? null : r.issues[0]!.message;
    };
    expect(await first('sku,note\na,b\n')).toBe(
      'orders.csv:1: field "qty" is missing from the header row (it has: sku, note)',
    );
    expect(await first('sku,qty,SKU\na,1,b\n')).toBe(
      'orders.csv:1: field "sku" appears twice in the header row',
    );
    expect(await first('\n \n')).toBe('orders.csv:1: is empty (expected a header row)');
    expect(await first('sku,qty\na,"1\n')).toMatch(
      /^orders\.csv:\d+: has a quoted field that is never closed$/,
    );
  });

  it('refuses NUL bytes and bad encodings naming line and field, never throwing', async () => {
    const nul = await csv('sku,qty\na\u0000b,1\n');
    expect(nul.ok ? null : nul.issues[0]).toMatchObject({ line: 2, field: 'sku' });
    expect(nul.ok ? '' : nul.issues[0]!.message).toMatch(
      /^orders\.csv:2: field "sku" contains a NUL character/,
    );

    // 价格 in GBK, as Excel on a Chinese Windows saves "CSV": not UTF-8.
    const gbk = Buffer.concat([
      Buffer.from('sku,qty\n'),
      Buffer.from([0xbc, 0xdb, 0xb8, 0xf1]),
      Buffer.from(',1\n'),
    ]);
    const bad = await csv(gbk);
    expect(bad.ok ? '' : bad.issues[0]!.message).toBe(
      'orders.csv:2: field "sku" is not valid UTF-8 text (save the file as CSV UTF-8)',
    );
    const utf16 = await csv(Buffer.from('\uFEFFsku,qty\n', 'utf16le'));
    expect(utf16.ok ? '' : utf16.issues[0]!.message).toBe(
      'orders.csv:1: is UTF-16 text; save the file as CSV UTF-8',
    );
  });

  it('reads the first sheet of an XLSX with sheet row numbers, and dates without a zone', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('orders');
    sheet.addRow(['sku', 'qty', 'note']);
    sheet.addRow([]);
    sheet.addRow(['a', 2, 'x']);
    sheet.getCell('C3').value = new Date(Date.UTC(2025, 10, 11, 20, 0));
    sheet.addRow(['b', 'many', '']);
    const data = new Uint8Array(await workbook.xlsx.writeBuffer());
    const r = await readTable(data, {
      ...spec,
      format: 'xlsx',
      source: 'o.xlsx',
      row: ZRow.extend({ note: z.string() }),
    });
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          file: 'o.xlsx',
          line: 4,
          field: 'qty',
          message: 'o.xlsx:4: field "qty" "many" is not a whole number',
        },
      ],
    });
    sheet.getCell('B4').value = 5;
    const good = await readTable(new Uint8Array(await workbook.xlsx.writeBuffer()), {
      ...spec,
      format: 'xlsx',
      source: 'o.xlsx',
      row: ZRow.extend({ note: z.string() }),
    });
    expect(good.ok && good.rows).toEqual([
      { line: 3, value: { sku: 'a', qty: 2, note: '2025-11-11T20:00:00' } },
      { line: 4, value: { sku: 'b', qty: 5, note: '' } },
    ]);
    const notXlsx = await readTable(Buffer.from('sku,qty\n'), { ...spec, format: 'xlsx', source: 'o.xlsx' });
    expect(notXlsx.ok ? '' : notXlsx.issues[0]!.message).toBe('o.xlsx:1: is not a readable XLSX workbook');
  });

  it('can insist on data rows; knows formats by file name', async () => {
    const r = await readTable(Buffer.from('sku,qty\n'), { ...spec, requireRows: true });
    expect(r.ok ? '' : r.issues[0]!.message).toBe('orders.csv:2: has no data rows');
    expect([formatFromName('A.CSV'), formatFromName('b.xlsx'), formatFromName('c.xls')]).toEqual([
      'csv',
      'xlsx',
      null,
    ]);
  });
});
