import { describe, expect, it } from 'vitest';
import { computePairFeatures, longestCommonSubstring, PAIR_FEATURE_NAMES } from './pair-features.ts';
import { analyzeText } from './tokenize.ts';

const stats = { documentCount: 10, documentFrequency: (token: string): number => (token === '零食' ? 0 : 2) };

function featuresOf(a: string, b: string): Record<string, number> {
  const values = computePairFeatures(analyzeText(a), analyzeText(b), stats);
  return Object.fromEntries(PAIR_FEATURE_NAMES.map((name, i) => [name, values[i] ?? Number.NaN]));
}

describe('computePairFeatures', () => {
  it('gives identical texts full overlap and no mismatch', () => {
    const f = featuresOf('你们保价吗', '你们保价吗');
    expect(f.tokenJaccard).toBe(1);
    expect(f.gramDice).toBe(1);
    expect(f.lcsRatio).toBe(1);
    expect(f.domainShared).toBe(1);
    expect(f.domainMissing).toBe(0);
    expect(f.negationMismatch).toBe(0);
  });

  it('sees a paraphrase through synonyms', () => {
    const f = featuresOf('价保怎么申请', '保价如何申请');
    expect(f.tokenJaccard).toBe(1);
    expect(f.domainShared).toBe(1);
  });

  it('flags a different key term, negation and question type', () => {
    const f = featuresOf('尾款多久付', '保价怎么申请');
    expect(f.domainShared).toBe(0);
    expect(f.domainMissing).toBe(1);
    expect(f.questionTypeMismatch).toBe(1);
    expect(featuresOf('能退货', '不能退货').negationMismatch).toBe(1);
  });

  it('notices query words the collection has never seen', () => {
    const f = featuresOf('有没有卖零食', '发货');
    expect(f.unknownQueryTokens).toBeGreaterThan(0);
    expect(f.unmatchedQueryIdf).toBe(1);
    expect(featuresOf('保价', '保价').unmatchedQueryIdf).toBe(0);
  });

  it('keeps every feature in [0, 1]', () => {
    for (const value of Object.values(featuresOf('亲，双十一买的空调咋还不发货', '空调发货'))) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });
});

describe('longestCommonSubstring', () => {
  it('finds the longest shared run', () => {
    expect(longestCommonSubstring('运费险怎么赔', '退货运费险')).toBe(3);
    expect(longestCommonSubstring('', '保价')).toBe(0);
    expect(longestCommonSubstring('abcabc', 'xbcaby')).toBe(4);
  });
});
