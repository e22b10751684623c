import { readFileSync } from 'node:fs';
import type { LinearModel } from './logistic-regression.ts';
import { PAIR_FEATURE_NAMES } from './pair-features.ts';

/** Features the reranker adds on top of the pair features: they compare candidates of one query. */
export const LIST_FEATURE_NAMES = ['pairLogit', 'bm25Relative', 'bm25Margin', 'retrievalRank'] as const;
export const RERANK_FEATURE_NAMES: readonly string[] = [...PAIR_FEATURE_NAMES, ...LIST_FEATURE_NAMES];

export type NamedLinearModel = LinearModel & { features: readonly string[] };

/** What scripts/train-matcher.ts writes to models/faq-matcher.json. */
export type MatcherModel = {
  version: 1;
  /** Paraphrase model over pair features, trained on AFQMC question pairs. */
  pair: NamedLinearModel;
  /** Candidate reranker over pair + list features, trained on leave-out queries from the demo FAQ. */
  rerank: NamedLinearModel;
  /** Platt scaling of the rerank logit into P(answer is right), fitted on the tuning paraphrases. */
  calibration: { slope: number; intercept: number };
  /** Minimum calibrated confidence to answer; chosen on the tuning set for precision ≥ target. */
  threshold: number;
  /** Training and tuning figures, for docs and the console; not read by the matcher. */
  metrics?: Record<string, unknown>;
};

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

function isNamedLinearModel(value: unknown, expected: readonly string[]): value is NamedLinearModel {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const features = record.features;
  return (
    isNumberArray(record.weights) &&
    typeof record.bias === 'number' &&
    Array.isArray(features) &&
    features.length === expected.length &&
    features.every((name, i) => name === expected[i]) &&
    record.weights.length === expected.length
  );
}

/** Validates a parsed model file, naming what is wrong so a bad retrain fails loudly at load. */
export function parseMatcherModel(value: unknown): MatcherModel {
  if (typeof value !== 'object' || value === null) throw new Error('matcher model: not an object');
  const record = value as Record<string, unknown>;
  if (record.version !== 1) throw new Error('matcher model: unsupported version');
  if (!isNamedLinearModel(record.pair, PAIR_FEATURE_NAMES))
    throw new Error('matcher model: bad "pair" block');
  if (!isNamedLinearModel(record.rerank, RERANK_FEATURE_NAMES))
    throw new Error('matcher model: bad "rerank" block');
  const calibration = record.calibration as Record<string, unknown> | undefined;
  if (typeof calibration?.slope !== 'number' || typeof calibration.intercept !== 'number') {
    throw new Error('matcher model: bad "calibration" block');
  }
  if (typeof record.threshold !== 'number' || record.threshold < 0 || record.threshold > 1) {
    throw new Error('matcher model: "threshold" must be in [0, 1]');
  }
  return {
    version: 1,
    pair: record.pair,
    rerank: record.rerank,
    calibration: { slope: calibration.slope, intercept: calibration.intercept },
    threshold: record.threshold,
    metrics: (record.metrics as Record<string, unknown> | undefined) ?? {},
  };
}

let shipped: MatcherModel | undefined;

/** The model shipped in models/faq-matcher.json, read once. */
export function loadDefaultMatcherModel(): MatcherModel {
  shipped ??= parseMatcherModel(
    JSON.parse(readFileSync(new URL('../models/faq-matcher.json', import.meta.url), 'utf8')),
  );
  return shipped;
}
