export {
  formatFromName,
  readTable,
  type TableFormat,
  type TableIssue,
  type TableResult,
  type TableRow,
  type TableSpec,
} from './read-table.ts';
export { addEscapedRows, escapeCell, unescapeCell, writeCsv } from './write-table.ts';
