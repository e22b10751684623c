import { Bm25Index } from './bm25-index.ts';
import { predictLogit, sigmoid } from './logistic-regression.ts';
import { loadDefaultMatcherModel, type MatcherModel, RERANK_FEATURE_NAMES } from './matcher-model.ts';
import { computePairFeatures, type TermStatistics } from './pair-features.ts';
import { type AnalyzedText, analyzeText } from './tokenize.ts';

export type FaqEntry = {
  id: string;
  question: string;
  similarQuestions: readonly string[];
  /** Entries without a store answer every store; with one, only queries for that store. */
  storeId?: string | null;
};

export type FaqMatcherOptions = {
  /** Defaults to the shipped models/faq-matcher.json. */
  model?: MatcherModel;
  /** Overrides the model's threshold (e.g. a merchant who prefers more hand-offs). */
  threshold?: number;
  /** Variant hits taken from BM25 before reranking; bounds the per-query cost. */
  retrievalDepth?: number;
  /** Distinct FAQs reranked per query. */
  rerankDepth?: number;
};

export type MatchOptions = {
  /** How many reranked candidates to return (default 5). */
  limit?: number;
  storeId?: string | null;
};

export type MatchCandidate = {
  faqId: string;
  /** The question variant (standard or similar) that matched best. */
  variant: string;
  /** Calibrated probability that this FAQ answers the query. */
  score: number;
  retrievalScore: number;
};

export type FeatureContribution = { name: string; value: number; weight: number; contribution: number };

export type MatchExplanation = {
  normalizedQuery: string;
  queryTokens: string[];
  decision: 'answered' | 'below-threshold' | 'no-candidates';
  threshold: number;
  /** Present when there was at least one candidate. */
  top?: {
    faqId: string;
    variant: string;
    matchedTerms: string[];
    logit: number;
    features: FeatureContribution[];
  };
};

export type MatchResult = {
  best: { faqId: string; score: number; variant: string } | null;
  abstained: boolean;
  /** Calibrated confidence of the top candidate (0 without candidates). */
  confidence: number;
  candidates: MatchCandidate[];
  why: MatchExplanation;
};

/** Reranker input for one candidate; exposed for the training script. */
export type CandidateFeatures = { faqId: string; variantId: number; features: number[] };

export type CandidateQueryOptions = { storeId?: string | null };

export type FaqVariant = { id: number; faqId: string; text: string; storeId: string | null };

export type FaqMatcher = {
  match(query: string, options?: MatchOptions): MatchResult;
  /** Adds or replaces an entry (replacing removes its old variants first). */
  upsert(entry: FaqEntry): void;
  remove(faqId: string): boolean;
  readonly size: number;
  variantsOf(faqId: string): FaqVariant[];
  candidateFeatures(query: string, options?: CandidateQueryOptions): CandidateFeatures[];
};

type StoredVariant = FaqVariant & { analyzed: AnalyzedText };

const DEFAULT_RETRIEVAL_DEPTH = 24;
const DEFAULT_RERANK_DEPTH = 8;

export function createFaqMatcher(entries: readonly FaqEntry[], options: FaqMatcherOptions = {}): FaqMatcher {
  const model = options.model ?? loadDefaultMatcherModel();
  const threshold = options.threshold ?? model.threshold;
  const retrievalDepth = options.retrievalDepth ?? DEFAULT_RETRIEVAL_DEPTH;
  const rerankDepth = options.rerankDepth ?? DEFAULT_RERANK_DEPTH;

  // Words count double: a shared word is stronger evidence than a shared character pair.
  const index = new Bm25Index({ words: 2, grams: 1 });
  const variants = new Map<number, StoredVariant>();
  const variantIdsByFaq = new Map<string, number[]>();
  const tokenDocumentFrequency = new Map<string, number>();
  let nextVariantId = 0;

  const stats: TermStatistics = {
    get documentCount() {
      return variants.size;
    },
    documentFrequency: (token) => tokenDocumentFrequency.get(token) ?? 0,
  };

  function addVariant(faqId: string, text: string, storeId: string | null): void {
    const analyzed = analyzeText(text);
    if (analyzed.tokens.length === 0) return;
    const id = nextVariantId++;
    variants.set(id, { id, faqId, text, storeId, analyzed });
    for (const token of new Set(analyzed.tokens)) {
      tokenDocumentFrequency.set(token, (tokenDocumentFrequency.get(token) ?? 0) + 1);
    }
    // Variant ids are never reused, which the index relies on.
    index.add({ id, words: analyzed.tokens, grams: analyzed.grams });
    const ids = variantIdsByFaq.get(faqId) ?? [];
    ids.push(id);
    variantIdsByFaq.set(faqId, ids);
  }

  function remove(faqId: string): boolean {
    const ids = variantIdsByFaq.get(faqId);
    if (!ids) return false;
    for (const id of ids) {
      const variant = variants.get(id);
      if (!variant) continue;
      for (const token of new Set(variant.analyzed.tokens)) {
        const left = (tokenDocumentFrequency.get(token) ?? 1) - 1;
        if (left > 0) tokenDocumentFrequency.set(token, left);
        else tokenDocumentFrequency.delete(token);
      }
      index.remove(id);
      variants.delete(id);
    }
    variantIdsByFaq.delete(faqId);
    return true;
  }

  function upsert(entry: FaqEntry): void {
    remove(entry.id);
    const storeId = entry.storeId ?? null;
    const texts = new Set([entry.question, ...entry.similarQuestions].map((t) => t.trim()).filter(Boolean));
    for (const text of texts) addVariant(entry.id, text, storeId);
  }

  for (const entry of entries) upsert(entry);

  type Scored = CandidateFeatures & { retrievalScore: number; logit: number };

  function scoreCandidates(query: AnalyzedText, queryOptions: CandidateQueryOptions): Scored[] {
    if (query.tokens.length === 0 || variants.size === 0) return [];
    const storeId = queryOptions.storeId ?? null;
    const hits = index.search(query.tokens, query.grams, retrievalDepth, (id) => {
      const variant = variants.get(id);
      if (!variant) return false;
      return variant.storeId === null || storeId === null || variant.storeId === storeId;
    });
    // Best variant per FAQ by pair model; BM25 decides which FAQs get a closer look.
    const byFaq = new Map<string, { variantId: number; pair: number[]; pairLogit: number; bm25: number }>();
    for (const hit of hits) {
      const variant = variants.get(hit.id);
      if (!variant) continue;
      const current = byFaq.get(variant.faqId);
      if (!current && byFaq.size >= rerankDepth) continue;
      const pair = computePairFeatures(query, variant.analyzed, stats);
      const pairLogit = predictLogit(model.pair, pair);
      if (!current) {
        byFaq.set(variant.faqId, { variantId: variant.id, pair, pairLogit, bm25: hit.score });
      } else if (pairLogit > current.pairLogit) {
        byFaq.set(variant.faqId, {
          variantId: variant.id,
          pair,
          pairLogit,
          bm25: Math.max(current.bm25, hit.score),
        });
      }
    }
    const list = [...byFaq.entries()];
    const topBm25 = Math.max(...list.map(([, c]) => c.bm25), 1e-9);
    return list.map(([faqId, c], rank): Scored => {
      let bestOther = 0;
      for (const [otherId, other] of list)
        if (otherId !== faqId && other.bm25 > bestOther) bestOther = other.bm25;
      const features = [
        ...c.pair,
        c.pairLogit,
        c.bm25 / topBm25,
        (c.bm25 - bestOther) / topBm25,
        1 / (1 + rank),
      ];
      return {
        faqId,
        variantId: c.variantId,
        features,
        retrievalScore: c.bm25,
        logit: predictLogit(model.rerank, features),
      };
    });
  }

  const calibrate = (logit: number): number =>
    sigmoid(model.calibration.slope * logit + model.calibration.intercept);

  function match(queryText: string, matchOptions: MatchOptions = {}): MatchResult {
    const query = analyzeText(queryText);
    const scored = scoreCandidates(query, { storeId: matchOptions.storeId ?? null }).sort(
      (a, b) => b.logit - a.logit,
    );
    const candidates = scored.slice(0, matchOptions.limit ?? 5).map(
      (c): MatchCandidate => ({
        faqId: c.faqId,
        variant: variants.get(c.variantId)?.text ?? '',
        score: calibrate(c.logit),
        retrievalScore: c.retrievalScore,
      }),
    );
    const why: MatchExplanation = {
      normalizedQuery: query.normalized,
      queryTokens: query.tokens,
      decision: 'no-candidates',
      threshold,
    };
    const top = scored[0];
    const topVariant = top ? variants.get(top.variantId) : undefined;
    if (!top || !topVariant) return { best: null, abstained: true, confidence: 0, candidates, why };
    const confidence = calibrate(top.logit);
    const variantTokens = new Set(topVariant.analyzed.tokens);
    why.top = {
      faqId: top.faqId,
      variant: topVariant.text,
      matchedTerms: [...new Set(query.tokens.filter((token) => variantTokens.has(token)))],
      logit: top.logit,
      features: RERANK_FEATURE_NAMES.map((name, i) => {
        const value = top.features[i] ?? 0;
        const weight = model.rerank.weights[i] ?? 0;
        return { name, value, weight, contribution: value * weight };
      }),
    };
    const answered = confidence >= threshold;
    why.decision = answered ? 'answered' : 'below-threshold';
    return {
      best: answered ? { faqId: top.faqId, score: confidence, variant: topVariant.text } : null,
      abstained: !answered,
      confidence,
      candidates,
      why,
    };
  }

  return {
    match,
    upsert,
    remove,
    get size() {
      return variantIdsByFaq.size;
    },
    variantsOf: (faqId) =>
      (variantIdsByFaq.get(faqId) ?? []).flatMap((id) => {
        const variant = variants.get(id);
        return variant
          ? [{ id: variant.id, faqId: variant.faqId, text: variant.text, storeId: variant.storeId }]
          : [];
      }),
    candidateFeatures: (queryText, queryOptions = {}) =>
      scoreCandidates(analyzeText(queryText), queryOptions).map(({ faqId, variantId, features }) => ({
        faqId,
        variantId,
        features,
      })),
  };
}
