import type { AnalyzedText } from './tokenize.ts';

/**
 * Features of a (query, candidate question) pair that need no index, so the same code scores
 * AFQMC pairs at training time and FAQ variants at query time.
 */
export const PAIR_FEATURE_NAMES = [
  'idfCoverQuery',
  'idfCoverVariant',
  'tokenJaccard',
  'gramDice',
  'gramCoverQuery',
  'lcsRatio',
  'lengthRatio',
  'domainShared',
  'domainMissing',
  'domainExtra',
  'negationMismatch',
  'questionTypeMismatch',
  'unknownQueryTokens',
  'unmatchedQueryIdf',
] as const;

/** Document frequencies in whatever collection is being matched against (FAQ variants, AFQMC sentences). */
export type TermStatistics = { documentCount: number; documentFrequency: (token: string) => number };

type IdfLookup = (token: string) => number;

export function bm25Idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

function idfCover(from: readonly string[], other: ReadonlySet<string>, idf: IdfLookup): number {
  let total = 0;
  let shared = 0;
  for (const token of new Set(from)) {
    const weight = idf(token);
    total += weight;
    if (other.has(token)) shared += weight;
  }
  return total > 0 ? shared / total : 0;
}

function diceOf(a: readonly string[], b: readonly string[]): { dice: number; coverA: number } {
  if (a.length === 0 || b.length === 0) return { dice: 0, coverA: 0 };
  const counts = new Map<string, number>();
  for (const gram of b) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  let shared = 0;
  for (const gram of a) {
    const left = counts.get(gram) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(gram, left - 1);
    }
  }
  return { dice: (2 * shared) / (a.length + b.length), coverA: shared / a.length };
}

let lcsRow = new Int32Array(64);

/**
 * Length of the longest common substring in UTF-16 units (CJK text here is all in the BMP), one
 * reused row: this runs for every reranked candidate, so it must not allocate.
 */
export function longestCommonSubstring(a: string, b: string): number {
  if (lcsRow.length < b.length + 1) lcsRow = new Int32Array(2 * (b.length + 1));
  const row = lcsRow;
  row.fill(0, 0, b.length + 1);
  let best = 0;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    let diagonal = 0; // row[j - 1] from the previous i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const value = ca === b.charCodeAt(j - 1) ? diagonal + 1 : 0;
      row[j] = value;
      if (value > best) best = value;
      diagonal = above;
    }
  }
  return best;
}

function fractionMissing(from: readonly string[], other: readonly string[]): number {
  if (from.length === 0) return 0;
  const otherSet = new Set(other);
  return from.filter((term) => !otherSet.has(term)).length / from.length;
}

export function computePairFeatures(
  query: AnalyzedText,
  variant: AnalyzedText,
  stats: TermStatistics,
): number[] {
  const idf: IdfLookup = (token) => bm25Idf(stats.documentCount, stats.documentFrequency(token));
  const maxIdf = bm25Idf(stats.documentCount, 0);
  const queryTokens = new Set(query.tokens);
  const variantTokens = new Set(variant.tokens);
  let intersection = 0;
  for (const token of queryTokens) if (variantTokens.has(token)) intersection++;
  const union = queryTokens.size + variantTokens.size - intersection;
  const grams = diceOf(query.grams, variant.grams);
  const queryLength = query.compact.length;
  const variantLength = variant.compact.length;
  const shorter = Math.min(queryLength, variantLength);
  const longer = Math.max(queryLength, variantLength);
  const sharedDomain = query.domainTerms.some((term) => variant.domainTerms.includes(term));
  const typeMismatch =
    query.questionTypes.length > 0 &&
    variant.questionTypes.length > 0 &&
    !query.questionTypes.some((type) => variant.questionTypes.includes(type));
  // Out-of-scope queries usually carry a word the knowledge base never uses (天气, 零食, 收据).
  let unknown = 0;
  let unmatchedIdf = 0;
  for (const token of queryTokens) {
    if (stats.documentFrequency(token) === 0) unknown++;
    if (!variantTokens.has(token)) unmatchedIdf = Math.max(unmatchedIdf, idf(token));
  }
  return [
    idfCover(query.tokens, variantTokens, idf),
    idfCover(variant.tokens, queryTokens, idf),
    union > 0 ? intersection / union : 0,
    grams.dice,
    grams.coverA,
    shorter > 0 ? longestCommonSubstring(query.compact, variant.compact) / shorter : 0,
    longer > 0 ? shorter / longer : 0,
    sharedDomain ? 1 : 0,
    fractionMissing(query.domainTerms, variant.domainTerms),
    fractionMissing(variant.domainTerms, query.domainTerms),
    query.hasNegation === variant.hasNegation ? 0 : 1,
    typeMismatch ? 1 : 0,
    queryTokens.size > 0 ? unknown / queryTokens.size : 0,
    maxIdf > 0 ? unmatchedIdf / maxIdf : 0,
  ];
}
