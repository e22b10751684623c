export type { ParaphraseExample, ParaphraseSetName } from './demo-data.ts';
export { loadDemoFaq, loadParaphraseSet, parseParaphraseJsonl } from './demo-data.ts';
export type { MatcherEvaluation, ScoredQuery } from './evaluate-matcher.ts';
export { evaluateMatcher, scoreQueries, selectThreshold, summarize } from './evaluate-matcher.ts';
export type { CsvRecord, FaqRecord } from './faq-csv.ts';
export { parseCsvRecords, parseCsvRows, parseFaqCsv } from './faq-csv.ts';
export type {
  CandidateFeatures,
  CandidateQueryOptions,
  FaqEntry,
  FaqMatcher,
  FaqMatcherOptions,
  FaqVariant,
  FeatureContribution,
  MatchCandidate,
  MatchExplanation,
  MatchOptions,
  MatchResult,
} from './faq-matcher.ts';
export { createFaqMatcher } from './faq-matcher.ts';
export { detectHumanRequest } from './human-request.ts';
export type { LinearModel } from './logistic-regression.ts';
export type { MatcherModel, NamedLinearModel } from './matcher-model.ts';
export { loadDefaultMatcherModel, parseMatcherModel, RERANK_FEATURE_NAMES } from './matcher-model.ts';
export type { NormalizeOptions } from './normalize-text.ts';
export { normalizeText } from './normalize-text.ts';
export { PAIR_FEATURE_NAMES } from './pair-features.ts';
export { loadSegmenter, segment } from './segmenter.ts';
export type { AnalyzedText } from './tokenize.ts';
export { analyzeText, charBigrams, tokenize } from './tokenize.ts';
