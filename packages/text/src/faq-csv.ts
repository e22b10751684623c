import type { FaqEntry } from './faq-matcher.ts';

/** One row of the knowledge-base CSV (`id,category,question,answer,similar_questions`). */
export type FaqRecord = FaqEntry & { category: string; answer: string };

const COLUMNS = ['id', 'category', 'question', 'answer', 'similar_questions'] as const;

/** One CSV record and the 1-based line it starts on (quoted fields may span lines). */
export type CsvRecord = { line: number; cells: string[] };

/** RFC 4180 fields: quotes around fields with commas/newlines, "" for a quote inside. Blank rows are skipped. */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (inQuotes) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      records.push({ line: rowLine, cells: row });
      row = [];
      field = '';
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    records.push({ line: rowLine, cells: row });
  }
  return records.filter((r) => r.cells.some((cell) => cell.trim().length > 0));
}

/** RFC 4180 fields: quotes around fields with commas/newlines, "" for a quote inside. */
export function parseCsvRows(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.cells);
}

/** Parses a knowledge-base CSV; throws with the line and field on bad input (the CLI prints it). */
export function parseFaqCsv(text: string, source = 'faq.csv'): FaqRecord[] {
  const [header, ...rows] = parseCsvRows(text);
  const names = (header ?? []).map((name) => name.trim().toLowerCase());
  const column = Object.fromEntries(COLUMNS.map((name) => [name, names.indexOf(name)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  for (const name of COLUMNS) {
    if (column[name] < 0) throw new Error(`${source}:1: missing column "${name}"`);
  }
  const seen = new Set<string>();
  return rows.map((row, i) => {
    const line = i + 2;
    const cell = (name: (typeof COLUMNS)[number]): string => (row[column[name]] ?? '').trim();
    for (const name of ['id', 'question', 'answer'] as const) {
      if (cell(name).length === 0) throw new Error(`${source}:${line}: field "${name}" is empty`);
    }
    if (seen.has(cell('id'))) throw new Error(`${source}:${line}: field "id" repeats "${cell('id')}"`);
    seen.add(cell('id'));
    return {
      id: cell('id'),
      category: cell('category'),
      question: cell('question'),
      answer: cell('answer'),
      similarQuestions: cell('similar_questions')
        .split('|')
        .map((q) => q.trim())
        .filter((q) => q.length > 0),
    };
  });
}
