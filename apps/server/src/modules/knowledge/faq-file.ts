import { type TFaq, type TFaqFileFormat, type TFaqLink, ZFaqId, ZHttpUrl } from '@peakdesk/contracts';
import { addEscapedRows, writeCsv } from '@peakdesk/tabular';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { readTableOrThrow } from '../../http/table-import.ts';

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
const REQUIRED_COLUMNS = ['id', 'category', 'question', 'answer', 'similar_questions'] as const;
const OPTIONAL_COLUMNS = ['enabled', 'valid_from', 'valid_to', 'images', 'links'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];
const EXPORT_COLUMNS: readonly Column[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

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
  // A date or time without a zone is China time: promotions are announced on the merchant's calendar
  // (and XLSX date cells carry no zone).
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(v)
    ? `${v}T00:00:00+08:00`
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)
      ? `${v.replace(' ', 'T')}+08:00`
      : v;
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

/** A cell read by `parse`, which returns `{value}` or the problem ("is empty", "has …"). */
const cell = <T>(parse: (text: string) => { value: T } | string) =>
  z.string().transform((text, ctx): T => {
    const result = parse(text);
    if (typeof result !== 'string') return result.value;
    ctx.addIssue({ code: 'custom', message: result });
    return z.NEVER;
  });
const text = (max: number, isRequired: boolean) =>
  cell((v) =>
    isRequired && !v ? 'is empty' : v.length > max ? `is longer than ${max} characters` : { value: v },
  );
const date = cell((v) => {
  const value = parseDate(v);
  return value === undefined ? `"${v}" is not a date (YYYY-MM-DD or ISO 8601)` : { value };
});

const ZFaqRow = z
  .object({
    id: cell((v) => {
      if (!v) return 'is empty';
      const id = ZFaqId.safeParse(v);
      return id.success ? { value: id.data } : `"${v}" ${id.error.issues[0]?.message}`;
    }),
    category: text(50, false),
    question: text(300, true),
    answer: text(4000, true),
    similar_questions: cell((v) => {
      const list = splitList(v);
      return list.some((q) => q.length > 300) ? 'has a question longer than 300 characters' : { value: list };
    }),
    enabled: cell((v) => {
      const value = parseBoolean(v);
      return value === null ? `"${v}" is not true/false` : { value };
    }),
    valid_from: date,
    valid_to: date,
    images: cell((v) => {
      const urls = splitList(v);
      const bad = urls.find((url) => !ZHttpUrl.safeParse(url).success);
      return bad ? `has "${bad}", which is not an http(s) URL` : { value: urls };
    }),
    links: cell((v) => {
      const links = parseLinks(v);
      return typeof links === 'string' ? links : { value: links };
    }),
  })
  .refine((r) => !r.valid_from || !r.valid_to || r.valid_from < r.valid_to, {
    path: ['valid_to'],
    message: 'is not after valid_from',
  });

/** Reads and validates a whole file before anything is written: one bad row rejects the import. */
export async function readFaqFile(
  data: Buffer,
  format: TFaqFileFormat,
  source: string,
): Promise<FaqFileRow[]> {
  const rows = await readTableOrThrow(data, 'invalid_faq_file', {
    format,
    source,
    columns: {
      ...Object.fromEntries(REQUIRED_COLUMNS.map((c) => [c, 'required' as const])),
      ...Object.fromEntries(OPTIONAL_COLUMNS.map((c) => [c, 'optional' as const])),
    },
    row: ZFaqRow,
    unique: [{ field: 'id', key: (r) => r.id }],
  });
  return rows.map(({ line, value: r }) => ({
    line,
    id: r.id,
    category: r.category,
    question: r.question,
    answer: r.answer,
    similarQuestions: r.similar_questions,
    enabled: r.enabled,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    images: r.images,
    links: r.links,
  }));
}

function exportCells(faq: TFaq): string[] {
  const row: Record<Column, string> = {
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
  return EXPORT_COLUMNS.map((c) => row[c]);
}

export function writeFaqCsv(faqs: readonly TFaq[]): string {
  return writeCsv([EXPORT_COLUMNS, ...faqs.map(exportCells)]);
}

export async function writeFaqXlsx(faqs: readonly TFaq[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('FAQ');
  addEscapedRows(sheet, [EXPORT_COLUMNS, ...faqs.map(exportCells)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
