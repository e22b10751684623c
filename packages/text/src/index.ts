export type { NormalizeOptions } from './normalize-text.ts';
export { normalizeText } from './normalize-text.ts';
export { loadSegmenter, segment } from './segmenter.ts';
export type { AnalyzedText } from './tokenize.ts';
export { analyzeText, charBigrams, tokenize } from './tokenize.ts';
