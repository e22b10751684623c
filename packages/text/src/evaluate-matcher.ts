import type { ParaphraseExample } from './demo-data.ts';
import type { FaqMatcher } from './faq-matcher.ts';

export type MatcherEvaluation = {
  queries: number;
  inScope: number;
  outOfScope: number;
  /** In-scope queries whose top candidate is the right FAQ, answered or not. */
  top1Accuracy: number;
  /** In-scope queries the bot answered (right or wrong). */
  coverage: number;
  /** Answers that were right; an answer to an out-of-scope query counts as wrong. */
  precision: number;
  /** Out-of-scope queries the bot declined. */
  outOfScopeDeclineRate: number;
  /** Wrong answers, for reading (never for tuning on the test set). */
  errors: {
    query: string;
    expected: string | null;
    answered: string | null;
    top: string | null;
    confidence: number;
  }[];
};

/** Top-1 outcome of one query, the unit both evaluation and threshold selection work on. */
export type ScoredQuery = { expected: string | null; top: string | null; confidence: number };

export function scoreQueries(matcher: FaqMatcher, examples: readonly ParaphraseExample[]): ScoredQuery[] {
  return examples.map((example) => {
    const result = matcher.match(example.query);
    return {
      expected: example.faqId,
      top: result.candidates[0]?.faqId ?? null,
      confidence: result.confidence,
    };
  });
}

export function summarize(
  scored: readonly ScoredQuery[],
  threshold: number,
  queries: readonly string[] = [],
): MatcherEvaluation {
  let inScope = 0;
  let topRight = 0;
  let answeredInScope = 0;
  let answered = 0;
  let answeredRight = 0;
  let declinedOutOfScope = 0;
  const errors: MatcherEvaluation['errors'] = [];
  scored.forEach((q, i) => {
    const isAnswered = q.top !== null && q.confidence >= threshold;
    const isRight = isAnswered && q.expected !== null && q.top === q.expected;
    if (q.expected !== null) {
      inScope++;
      if (q.top === q.expected) topRight++;
      if (isAnswered) answeredInScope++;
    } else if (!isAnswered) declinedOutOfScope++;
    if (isAnswered) answered++;
    if (isRight) answeredRight++;
    if (isAnswered !== isRight || (q.expected !== null && !isAnswered)) {
      errors.push({
        query: queries[i] ?? '',
        expected: q.expected,
        answered: isAnswered ? q.top : null,
        top: q.top,
        confidence: q.confidence,
      });
    }
  });
  const outOfScope = scored.length - inScope;
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  return {
    queries: scored.length,
    inScope,
    outOfScope,
    top1Accuracy: ratio(topRight, inScope),
    coverage: ratio(answeredInScope, inScope),
    precision: ratio(answeredRight, answered),
    outOfScopeDeclineRate: ratio(declinedOutOfScope, outOfScope),
    errors,
  };
}

export function evaluateMatcher(
  matcher: FaqMatcher,
  examples: readonly ParaphraseExample[],
  threshold: number,
): MatcherEvaluation {
  return summarize(
    scoreQueries(matcher, examples),
    threshold,
    examples.map((e) => e.query),
  );
}

/**
 * Lowest threshold whose precision on `scored` is at least `targetPrecision`, i.e. the largest
 * coverage that keeps the target. Candidates are the observed confidences.
 */
export function selectThreshold(scored: readonly ScoredQuery[], targetPrecision: number): number {
  const cuts = [...new Set(scored.map((q) => q.confidence))].sort((a, b) => a - b);
  for (const cut of cuts) {
    const result = summarize(scored, cut);
    if (result.precision >= targetPrecision) return cut;
  }
  return 1;
}
