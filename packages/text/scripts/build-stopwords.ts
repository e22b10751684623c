// Derives the shipped stopword list from the HIT list (see /work/shared/data/SOURCES.md): drops
// negators and intensifiers as SOURCES.md asks, and keeps question words that separate FAQs.
// Run: npx tsx packages/text/scripts/build-stopwords.ts [SHARED_DATA_DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KEPT_QUESTION_WORDS, NEGATION_WORDS } from '../src/lexicon.ts';
import { normalizeText } from '../src/normalize-text.ts';

const dataDir = resolve(process.argv[2] ?? new URL('../../../../shared/data', import.meta.url).pathname);
const readLines = (file: string): string[] =>
  readFileSync(resolve(dataDir, file), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

const negators = new Set(readLines('lexicon/negators.txt'));
const intensifiers = new Set(readLines('lexicon/intensifiers.txt').map((line) => line.split(',')[0] ?? ''));
const kept = new Set([...KEPT_QUESTION_WORDS, ...NEGATION_WORDS]);
// Fillers buyers add that HIT does not list.
const extra = [
  '亲',
  '亲亲',
  '呀',
  '哈',
  '啊',
  '呢',
  '哦',
  '啦',
  '嘛',
  '请问',
  '一下',
  '下',
  '您好',
  '你好',
  '在吗',
  '谢谢',
  '麻烦',
];

const words = new Set<string>();
for (const raw of [...readLines('stopwords/hit_stopwords.txt'), ...extra]) {
  const word = normalizeText(raw, { trimFillers: false });
  if (word.length === 0 || negators.has(word) || intensifiers.has(word) || kept.has(word)) continue;
  // HIT also lists digits, symbols and list markers ([1a]); digits matter here (7天, order numbers).
  if (!/^[\p{Script=Han}a-z]+$/u.test(word)) continue;
  words.add(word);
}
const out = new URL('../models/stopwords.txt', import.meta.url);
writeFileSync(out, `${[...words].sort().join('\n')}\n`);
console.log(`wrote ${words.size} stopwords to ${out.pathname}`);
