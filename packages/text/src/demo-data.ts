import { readFileSync } from 'node:fs';
import { type FaqRecord, parseFaqCsv } from './faq-csv.ts';

/** A labelled query: faqId null means out of scope, the bot must decline. */
export type ParaphraseExample = { query: string; faqId: string | null };

export type ParaphraseSetName = 'tune' | 'test';

const dataFile = (name: string): URL => new URL(`../data/${name}`, import.meta.url);

/** The demo merchant's knowledge base (also what `peakdesk start --demo` can seed). */
export function loadDemoFaq(): FaqRecord[] {
  return parseFaqCsv(readFileSync(dataFile('demo-faq.csv'), 'utf8'), 'demo-faq.csv');
}

export function parseParaphraseJsonl(text: string, source: string): ParaphraseExample[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, number }) => {
      const value: unknown = JSON.parse(line);
      const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      const { query, faqId } = record;
      if (typeof query !== 'string' || query.length === 0)
        throw new Error(`${source}:${number}: bad "query"`);
      if (faqId !== null && typeof faqId !== 'string') throw new Error(`${source}:${number}: bad "faqId"`);
      return { query, faqId };
    });
}

/** tune = for choosing weights/threshold; test = only for reporting. */
export function loadParaphraseSet(name: ParaphraseSetName): ParaphraseExample[] {
  const file = `paraphrase-${name}.jsonl`;
  return parseParaphraseJsonl(readFileSync(dataFile(file), 'utf8'), file);
}
