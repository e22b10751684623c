import type ExcelJS from 'exceljs';

/**
 * Text a spreadsheet would run as a formula: Excel, LibreOffice and Google Sheets start one at `=`, `+`,
 * `-` or `@`, and a leading tab or carriage return is dropped on paste, exposing what follows.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const ESCAPED = /^'[=+\-@\t\r]/;

/**
 * A cell value safe to open in a spreadsheet: text that would start a formula gets a leading `'`
 * (OWASP's advice for CSV injection); numbers, dates and other text are unchanged. Every CSV and
 * XLSX export writes its cells through this (docs/security.md).
 */
export function escapeCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse for imports: a file exported by PeakDesk reads back as the text it was written from. */
export function unescapeCell(text: string): string {
  return ESCAPED.test(text) ? text.slice(1) : text;
}

const csvField = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(escapeCell(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** RFC 4180 CSV (CRLF, quoted where needed, cells escaped) with a BOM so Excel reads UTF-8 Chinese text. */
export function writeCsv(rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Appends rows to a sheet with every cell escaped. */
export function addEscapedRows(sheet: ExcelJS.Worksheet, rows: readonly (readonly unknown[])[]): void {
  for (const row of rows) sheet.addRow(row.map(escapeCell));
}
