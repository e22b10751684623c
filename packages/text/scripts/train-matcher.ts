// Trains the FAQ matcher and writes models/faq-matcher.json.
//   1. pair model: logistic regression on AFQMC question pairs (../shared/data/matching), dev accuracy/AUC;
//   2. reranker: logistic regression on leave-out queries built from the demo FAQ's own variants;
//   3. Platt calibration and the abstention threshold on data/paraphrase-tune.jsonl (never the test set).
// Run: npx tsx packages/text/scripts/train-matcher.ts [SHARED_DATA_DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDemoFaq, loadParaphraseSet } from '../src/demo-data.ts';
import { evaluateMatcher, type ScoredQuery, scoreQueries, selectThreshold } from '../src/evaluate-matcher.ts';
import { parseCsvRows } from '../src/faq-csv.ts';
import { createFaqMatcher } from '../src/faq-matcher.ts';
import {
  computeAuc,
  type LinearModel,
  predictLogit,
  sigmoid,
  trainLogisticRegression,
} from '../src/logistic-regression.ts';
import { type MatcherModel, parseMatcherModel, RERANK_FEATURE_NAMES } from '../src/matcher-model.ts';
import { computePairFeatures, PAIR_FEATURE_NAMES, type TermStatistics } from '../src/pair-features.ts';
import { type AnalyzedText, analyzeText } from '../src/tokenize.ts';

const TARGET_PRECISION = 0.95;
const dataDir = resolve(process.argv[2] ?? new URL('../../../../shared/data', import.meta.url).pathname);
const round = (x: number, digits = 6): number => Number(x.toFixed(digits));
const roundModel = (m: LinearModel): LinearModel => ({
  weights: m.weights.map((w) => round(w)),
  bias: round(m.bias),
});

// ---- 1. AFQMC pair model ----------------------------------------------------------------------
type Pair = { a: AnalyzedText; b: AnalyzedText; label: number; key: string };
const analyzed = new Map<string, AnalyzedText>();
const analyze = (text: string): AnalyzedText => {
  let value = analyzed.get(text);
  if (!value) {
    value = analyzeText(text);
    analyzed.set(text, value);
  }
  return value;
};

function readPairs(file: string): { pairs: Pair[]; duplicates: number } {
  const rows = parseCsvRows(readFileSync(resolve(dataDir, 'matching', file), 'utf8')).slice(1);
  const seen = new Set<string>();
  const pairs: Pair[] = [];
  let duplicates = 0;
  for (const [s1 = '', s2 = '', label = ''] of rows) {
    const a = analyze(s1);
    const b = analyze(s2);
    // Deduplicate on normalised text, order-free: "A,B" and "B,A" are the same example.
    const key = [a.normalized, b.normalized].sort().join('\u0001');
    if (seen.has(key) || (label !== '0' && label !== '1')) {
      duplicates++;
      continue;
    }
    seen.add(key);
    pairs.push({ a, b, label: Number(label), key });
  }
  return { pairs, duplicates };
}

const train = readPairs('afqmc_train.csv');
const dev = readPairs('afqmc_dev.csv');
const devKeys = new Set(dev.pairs.map((p) => p.key));
const trainPairs = train.pairs.filter((p) => !devKeys.has(p.key));
const leakedIntoDev = train.pairs.length - trainPairs.length;

// IDF from the training sentences only, as the matcher takes IDF from the FAQ it indexes.
const documentFrequency = new Map<string, number>();
const trainSentences = new Map<string, AnalyzedText>();
for (const p of trainPairs) for (const s of [p.a, p.b]) trainSentences.set(s.normalized, s);
for (const s of trainSentences.values()) {
  for (const token of new Set(s.tokens))
    documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
}
const afqmcStats: TermStatistics = {
  documentCount: trainSentences.size,
  documentFrequency: (token) => documentFrequency.get(token) ?? 0,
};
const pairRows = (pairs: Pair[]): number[][] => pairs.map((p) => computePairFeatures(p.a, p.b, afqmcStats));

const pairModel = trainLogisticRegression(
  pairRows(trainPairs),
  trainPairs.map((p) => p.label),
  { epochs: 300, l2: 1e-3 },
);
const devScores = pairRows(dev.pairs).map((row) => predictLogit(pairModel, row));
const devLabels = dev.pairs.map((p) => p.label);
const devAccuracy = devScores.filter((z, i) => (z >= 0 ? 1 : 0) === devLabels[i]).length / dev.pairs.length;
const devAuc = computeAuc(devScores, devLabels);
const devPositiveRate = devLabels.filter((y) => y === 1).length / devLabels.length;
console.log(
  `AFQMC: ${trainPairs.length} train pairs (${train.duplicates} duplicates, ${leakedIntoDev} also in dev dropped), ${dev.pairs.length} dev pairs`,
);
console.log(
  `AFQMC dev: accuracy ${devAccuracy.toFixed(4)} (majority class ${Math.max(devPositiveRate, 1 - devPositiveRate).toFixed(4)}), AUC ${devAuc.toFixed(4)}`,
);

// ---- 2. reranker on leave-out queries from the demo FAQ -----------------------------------------
const faq = loadDemoFaq();
const bootstrap: MatcherModel = {
  version: 1,
  pair: { ...roundModel(pairModel), features: PAIR_FEATURE_NAMES },
  rerank: { weights: RERANK_FEATURE_NAMES.map(() => 0), bias: 0, features: RERANK_FEATURE_NAMES },
  calibration: { slope: 1, intercept: 0 },
  threshold: 0.5,
};
const bootstrapMatcher = createFaqMatcher(faq, { model: bootstrap });
const rerankRows: number[][] = [];
const rerankLabels: number[] = [];
// Entries are really removed and re-added (not filtered) so document frequencies match the situation.
for (const entry of faq) {
  const texts = [entry.question, ...entry.similarQuestions];
  for (const [i, text] of texts.entries()) {
    // (a) the variant itself is hidden: the other variants of its FAQ should win.
    const others = texts.filter((_, j) => j !== i);
    bootstrapMatcher.upsert({ ...entry, question: others[0] ?? '', similarQuestions: others.slice(1) });
    for (const c of bootstrapMatcher.candidateFeatures(text)) {
      rerankRows.push(c.features);
      rerankLabels.push(c.faqId === entry.id ? 1 : 0);
    }
    // (b) the whole FAQ is hidden: an uncovered question, every candidate is wrong (teaches abstention).
    bootstrapMatcher.remove(entry.id);
    for (const c of bootstrapMatcher.candidateFeatures(text)) {
      rerankRows.push(c.features);
      rerankLabels.push(0);
    }
    bootstrapMatcher.upsert(entry);
  }
}
const positives = rerankLabels.filter((y) => y === 1).length;
const rerankModel = trainLogisticRegression(rerankRows, rerankLabels, { epochs: 600, l2: 1e-2 });
console.log(`reranker: ${rerankRows.length} rows, ${positives} positive`);

// ---- 3. calibration and threshold on the tuning paraphrases --------------------------------------
const uncalibrated: MatcherModel = {
  ...bootstrap,
  rerank: { ...roundModel(rerankModel), features: RERANK_FEATURE_NAMES },
};
const tune = loadParaphraseSet('tune');
const rawTune = scoreQueries(createFaqMatcher(faq, { model: uncalibrated }), tune);
const logitOf = (p: number): number => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));
const platt = trainLogisticRegression(
  rawTune.map((q) => [logitOf(q.confidence)]),
  rawTune.map((q) => (q.expected !== null && q.top === q.expected ? 1 : 0)),
  { epochs: 800, l2: 0 },
);
const calibration = { slope: round(platt.weights[0] ?? 1), intercept: round(platt.bias) };
const calibratedTune: ScoredQuery[] = rawTune.map((q) => ({
  ...q,
  confidence: sigmoid(calibration.slope * logitOf(q.confidence) + calibration.intercept),
}));
const threshold = round(selectThreshold(calibratedTune, TARGET_PRECISION), 4);

const model: MatcherModel = {
  ...uncalibrated,
  calibration,
  threshold,
  metrics: {
    afqmc: {
      trainPairs: trainPairs.length,
      duplicatesDropped: train.duplicates,
      trainPairsAlsoInDevDropped: leakedIntoDev,
      devPairs: dev.pairs.length,
      devAccuracy: round(devAccuracy, 4),
      devAuc: round(devAuc, 4),
      devMajorityClass: round(Math.max(devPositiveRate, 1 - devPositiveRate), 4),
    },
    rerank: { rows: rerankRows.length, positives, faqEntries: faq.length },
    threshold: { targetPrecision: TARGET_PRECISION, chosenOn: 'data/paraphrase-tune.jsonl' },
  },
};
parseMatcherModel(model);
const tuneResult = evaluateMatcher(createFaqMatcher(faq, { model }), tune, threshold);
const { errors: _errors, ...tuneFigures } = tuneResult;
model.metrics = {
  ...model.metrics,
  tune: Object.fromEntries(Object.entries(tuneFigures).map(([k, v]) => [k, round(v, 4)])),
};
const out = new URL('../models/faq-matcher.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(model, null, 2)}\n`);
console.log(
  `calibration slope ${calibration.slope} intercept ${calibration.intercept}; threshold ${threshold}`,
);
console.log(
  `tune: top-1 ${tuneResult.top1Accuracy.toFixed(3)}, coverage ${tuneResult.coverage.toFixed(3)}, precision ${tuneResult.precision.toFixed(3)}, out-of-scope declined ${tuneResult.outOfScopeDeclineRate.toFixed(3)}`,
);
console.log(`wrote ${out.pathname}`);
