import { describe, expect, it } from 'vitest';
import { type ScoredQuery, selectThreshold, summarize } from './evaluate-matcher.ts';

const scored: ScoredQuery[] = [
  { expected: 'a', top: 'a', confidence: 0.9 },
  { expected: 'b', top: 'b', confidence: 0.8 },
  { expected: 'c', top: 'x', confidence: 0.6 },
  { expected: null, top: 'a', confidence: 0.5 },
  { expected: 'd', top: 'd', confidence: 0.4 },
];

describe('summarize', () => {
  it('counts answers to out-of-scope queries as wrong', () => {
    const result = summarize(scored, 0.45);
    expect(result.top1Accuracy).toBe(3 / 4);
    expect(result.coverage).toBe(3 / 4);
    expect(result.precision).toBe(2 / 4);
    expect(result.outOfScopeDeclineRate).toBe(0);
  });
});

describe('selectThreshold', () => {
  it('picks the lowest threshold that keeps the target precision', () => {
    expect(selectThreshold(scored, 0.95)).toBe(0.8);
    expect(selectThreshold(scored, 0.65)).toBe(0.6);
    expect(selectThreshold(scored, 0.6)).toBe(0.4);
  });
});
