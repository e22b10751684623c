import { readFileSync } from 'node:fs';
import {
  DOMAIN_TERMS,
  NEGATION_WORDS,
  PINYIN_ABBREVIATIONS,
  QUESTION_TYPES,
  STRING_SYNONYMS,
  TOKEN_SYNONYMS,
} from './lexicon.ts';
import { normalizeText } from './normalize-text.ts';
import { segment } from './segmenter.ts';

/** Everything the matcher needs about one text, computed once per FAQ variant and once per query. */
export type AnalyzedText = {
  normalized: string;
  /** Canonical content words: synonyms mapped, stopwords and punctuation dropped. */
  tokens: string[];
  /** Character bigrams of the canonical text, so typos and mis-segmentation still overlap. */
  grams: string[];
  /** Canonical text the bigrams come from (tokens joined). */
  compact: string;
  domainTerms: string[];
  questionTypes: string[];
  hasNegation: boolean;
};

let stopwords: ReadonlySet<string> | undefined;

/** The shipped list, built by scripts/build-stopwords.ts from the HIT list. */
export function loadStopwords(): ReadonlySet<string> {
  stopwords ??= new Set(
    readFileSync(new URL('../models/stopwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((word) => word.length > 0),
  );
  return stopwords;
}

const DOMAIN_SET = new Set(DOMAIN_TERMS);
const NEGATION_SET = new Set(NEGATION_WORDS);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Applies colloquial string rewrites (咋→怎么, 肿么→怎么, sentence-final 么→吗) and pinyin abbreviations. */
export function canonicalizeText(normalized: string): string {
  let text = normalized;
  for (const [pattern, replacement] of STRING_SYNONYMS) text = text.replace(pattern, replacement);
  return text.replace(/[a-z]+/g, (word) => PINYIN_ABBREVIATIONS[word] ?? word);
}

function canonicalWords(text: string): string[] {
  const words: string[] = [];
  for (const raw of segment(canonicalizeText(text))) {
    const word = raw.trim();
    if (word.length === 0 || !WORD_CHAR.test(word)) continue;
    words.push(TOKEN_SYNONYMS.get(word) ?? word);
  }
  return words;
}

/** normalise → segment → map synonyms → drop stopwords. */
export function tokenize(text: string): string[] {
  return analyzeText(text).tokens;
}

export function charBigrams(compact: string): string[] {
  const chars = Array.from(compact);
  if (chars.length < 2) return chars;
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

export function analyzeText(text: string): AnalyzedText {
  const normalized = normalizeText(text);
  const words = canonicalWords(normalized);
  const stop = loadStopwords();
  let tokens = words.filter((word) => !stop.has(word));
  // A query made only of stopwords ("在吗") still needs something to match on.
  if (tokens.length === 0) tokens = words;
  const compact = tokens.join('');
  const questionTypes = new Set<string>();
  for (const word of words) {
    const type = QUESTION_TYPES[word];
    if (type) questionTypes.add(type);
  }
  return {
    normalized,
    tokens,
    grams: charBigrams(compact),
    compact,
    domainTerms: [...new Set(tokens.filter((token) => DOMAIN_SET.has(token)))],
    questionTypes: [...questionTypes],
    hasNegation: words.some((word) => NEGATION_SET.has(word)),
  };
}
