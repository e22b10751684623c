import { type TFaq, type TFaqFileFormat, type TFaqLink, ZFaqId, ZHttpUrl } from '@peakdesk/contracts';
import { parseCsvRecords } from '@peakdesk/text';
import ExcelJS from 'exceljs';
import { DomainError } from '../../http/domain-error.ts';

/** One validated row of an import file; `line` is where it came from (for messages). */
export type FaqFileRow = {
  line: number;
  id: string;
  category: string;
  question: string;
  answer: string;
  similarQuestions: string[];
  enabled: boolean;
  validFrom: Date | null;
  validTo: Date | null;
  images: string[];
  links: TFaqLink[];
};

/** The CLI contract's columns first; the optional ones round-trip what export writes. */
export const REQUIRED_COLUMNS = ['id', 'category', 'question', 'answer', 'similar_questions'] as const;
const OPTIONAL_COLUMNS = ['enabled', 'valid_from', 'valid_to', 'images', 'links'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const EXPORT_COLUMNS: readonly Column[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

type RawRecord = { line: number; cells: string[] };

const fileError = (source: string, line: number, field: string, problem: string) =>
  new DomainError(
    'invalid_input',
    'invalid_faq_file',
    `${source}:${line}: field "${field}" ${problem}`,
    field,
  );

const splitList = (value: string) =>
  value
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

function parseBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (v === '' || ['true', '1', 'yes', 'y', '是', '启用'].includes(v)) return true;
  if (['false', '0', 'no', 'n', '否', '停用'].includes(v)) return false;
  return null;
}

function parseDate(value: string): Date | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  // A bare date is midnight China time: promotions are announced on the merchant's calendar.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+08:00` : v;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `title url` pairs separated by `|`; a bare URL is its own title. */
function parseLinks(value: string): TFaqLink[] | string {
  const links: TFaqLink[] = [];
  for (const part of splitList(value)) {
    const at = part.lastIndexOf(' ');
    const url = at < 0 ? part : part.slice(at + 1);
    const title = at < 0 ? part : part.slice(0, at).trim();
    if (!ZHttpUrl.safeParse(url).success) return `has "${url}", which is not an http(s) URL`;
    links.push({ title: title.slice(0, 100), url });
  }
  return links;
}

function validateRecords(records: RawRecord[], source: string): FaqFileRow[] {
  const [header, ...rows] = records;
  if (!header) throw new DomainError('invalid_input', 'invalid_faq_file', `${source}:1: the file is empty`);
  const names = header.cells.map((name) => name.trim().toLowerCase());
  const index = new Map<Column, number>();
  for (const name of EXPORT_COLUMNS) {
    const at = names.indexOf(name);
    if (at >= 0) index.set(name, at);
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!index.has(name))
      throw new DomainError(
        'invalid_input',
        'invalid_faq_file',
        `${source}:${header.line}: missing column "${name}"`,
        name,
      );
  }
  const seen = new Map<string, number>();
  return rows.map(({ line, cells }): FaqFileRow => {
    const cell = (name: Column) => {
      const at = index.get(name);
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };
    const id = ZFaqId.safeParse(cell('id'));
    if (!id.success)
      throw fileError(
        source,
        line,
        'id',
        cell('id') ? `"${cell('id')}" ${id.error.issues[0]?.message}` : 'is empty',
      );
    const firstLine = seen.get(id.data);
    if (firstLine !== undefined)
      throw fileError(source, line, 'id', `repeats "${id.data}" of line ${firstLine}`);
    seen.set(id.data, line);
    const question = cell('question');
    if (!question) throw fileError(source, line, 'question', 'is empty');
    if (question.length > 300) throw fileError(source, line, 'question', 'is longer than 300 characters');
    const answer = cell('answer');
    if (!answer) throw fileError(source, line, 'answer', 'is empty');
    if (answer.length > 4000) throw fileError(source, line, 'answer', 'is longer than 4000 characters');
    const category = cell('category');
    if (category.length > 50) throw fileError(source, line, 'category', 'is longer than 50 characters');
    const similarQuestions = splitList(cell('similar_questions'));
    if (similarQuestions.some((q) => q.length > 300))
      throw fileError(source, line, 'similar_questions', 'has a question longer than 300 characters');
    const enabled = parseBoolean(cell('enabled'));
    if (enabled === null) throw fileError(source, line, 'enabled', `"${cell('enabled')}" is not true/false`);
    const validFrom = parseDate(cell('valid_from'));
    if (validFrom === undefined)
      throw fileError(
        source,
        line,
        'valid_from',
        `"${cell('valid_from')}" is not a date (YYYY-MM-DD or ISO 8601)`,
      );
    const validTo = parseDate(cell('valid_to'));
    if (validTo === undefined)
      throw fileError(
        source,
        line,
        'valid_to',
        `"${cell('valid_to')}" is not a date (YYYY-MM-DD or ISO 8601)`,
      );
    if (validFrom && validTo && validFrom >= validTo)
      throw fileError(source, line, 'valid_to', 'is not after valid_from');
    const images = splitList(cell('images'));
    const badImage = images.find((url) => !ZHttpUrl.safeParse(url).success);
    if (badImage) throw fileError(source, line, 'images', `has "${badImage}", which is not an http(s) URL`);
    const links = parseLinks(cell('links'));
    if (typeof links === 'string') throw fileError(source, line, 'links', links);
    return {
      line,
      id: id.data,
      category,
      question,
      answer,
      similarQuestions,
      enabled,
      validFrom,
      validTo,
      images,
      links,
    };
  });
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value instanceof Date) return value.toISOString();
  return cell.text ?? '';
}

async function readXlsxRecords(data: Buffer, source: string): Promise<RawRecord[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new DomainError('invalid_input', 'invalid_faq_file', `${source}:1: not a readable XLSX workbook`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    throw new DomainError('invalid_input', 'invalid_faq_file', `${source}:1: the workbook has no sheet`);
  const records: RawRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let col = 1; col <= row.cellCount; col++) cells.push(cellText(row.getCell(col)));
    if (cells.some((c) => c.trim().length > 0)) records.push({ line: rowNumber, cells });
  });
  return records;
}

/** Reads and validates a whole file before anything is written: one bad row rejects the import. */
export async function readFaqFile(
  data: Buffer,
  format: TFaqFileFormat,
  source: string,
): Promise<FaqFileRow[]> {
  const records =
    format === 'xlsx' ? await readXlsxRecords(data, source) : parseCsvRecords(data.toString('utf8'));
  return validateRecords(records, source);
}

export function formatFromName(name: string): TFaqFileFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

function exportRow(faq: TFaq): Record<Column, string> {
  return {
    id: faq.id,
    category: faq.category,
    question: faq.question,
    answer: faq.answer,
    similar_questions: faq.similarQuestions.join('|'),
    enabled: faq.enabled ? 'true' : 'false',
    valid_from: faq.validFrom ?? '',
    valid_to: faq.validTo ?? '',
    images: faq.images.join('|'),
    links: faq.links.map((l) => (l.title && l.title !== l.url ? `${l.title} ${l.url}` : l.url)).join('|'),
  };
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function writeFaqCsv(faqs: readonly TFaq[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const faq of faqs) {
    const row = exportRow(faq);
    lines.push(EXPORT_COLUMNS.map((c) => csvField(row[c])).join(','));
  }
  // BOM so Excel opens the UTF-8 Chinese text correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function writeFaqXlsx(faqs: readonly TFaq[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('FAQ');
  sheet.addRow([...EXPORT_COLUMNS]);
  for (const faq of faqs) {
    const row = exportRow(faq);
    sheet.addRow(EXPORT_COLUMNS.map((c) => row[c]));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
