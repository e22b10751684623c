// A compact two-field BM25 inverted index with top-k retrieval.
//
// Why not MiniSearch: it materialises a result object for every matching document and sorts them
// all. FAQ questions share many terms (空调, 多久, bigrams such as 怎么), so at 100k entries a query
// touches tens of thousands of documents and MiniSearch took ~15 ms per query already at 2k entries.
// Here scores accumulate in a typed array and only the best `k` documents are kept in a small heap.

export type Bm25Document = { id: number; words: readonly string[]; grams: readonly string[] };
export type Bm25Hit = { id: number; score: number };

type Field = {
  boost: number;
  postings: Map<string, { ids: number[]; tfs: number[] }>;
  /** Live documents containing each term. */
  documentFrequency: Map<string, number>;
  totalLength: number;
};

const K1 = 1.2;
const B = 0.75;
/** Postings scored per query at most (after the MIN_TERMS rarest terms, which are always scored). */
const POSTING_BUDGET = 60_000;
const MIN_TERMS = 2;

export class Bm25Index {
  private readonly fields: [Field, Field];
  private lengths: [Float64Array, Float64Array] = [new Float64Array(1024), new Float64Array(1024)];
  private alive = new Uint8Array(1024);
  private scores = new Float64Array(1024);
  private liveCount = 0;
  private deadCount = 0;
  private readonly terms = new Map<number, [readonly string[], readonly string[]]>();

  constructor(boosts: { words: number; grams: number } = { words: 2, grams: 1 }) {
    const field = (boost: number): Field => ({
      boost,
      postings: new Map(),
      documentFrequency: new Map(),
      totalLength: 0,
    });
    this.fields = [field(boosts.words), field(boosts.grams)];
  }

  get size(): number {
    return this.liveCount;
  }

  add(doc: Bm25Document): void {
    if (this.terms.has(doc.id)) throw new Error(`Bm25Index: document ${doc.id} already indexed`);
    this.ensureCapacity(doc.id + 1);
    const perField = [doc.words, doc.grams] as const;
    perField.forEach((terms, f) => {
      const field = this.fields[f as 0 | 1];
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let posting = field.postings.get(term);
        if (!posting) {
          posting = { ids: [], tfs: [] };
          field.postings.set(term, posting);
        }
        posting.ids.push(doc.id);
        posting.tfs.push(tf);
        field.documentFrequency.set(term, (field.documentFrequency.get(term) ?? 0) + 1);
      }
      this.lengths[f as 0 | 1][doc.id] = terms.length;
      field.totalLength += terms.length;
    });
    this.alive[doc.id] = 1;
    this.liveCount++;
    this.terms.set(doc.id, [doc.words, doc.grams]);
  }

  /** O(terms of the document); postings keep a dead entry until the next compaction. */
  remove(id: number): boolean {
    const terms = this.terms.get(id);
    if (!terms || this.alive[id] !== 1) return false;
    terms.forEach((list, f) => {
      const field = this.fields[f as 0 | 1];
      for (const term of new Set(list)) {
        const left = (field.documentFrequency.get(term) ?? 1) - 1;
        if (left > 0) field.documentFrequency.set(term, left);
        else field.documentFrequency.delete(term);
      }
      field.totalLength -= list.length;
    });
    this.alive[id] = 0;
    this.terms.delete(id);
    this.liveCount--;
    this.deadCount++;
    if (this.deadCount > 1024 && this.deadCount > this.liveCount) this.compact();
    return true;
  }

  /** Top `k` live documents by BM25 summed over both fields; `accept` filters before ranking. */
  search(
    words: readonly string[],
    grams: readonly string[],
    k: number,
    accept?: (id: number) => boolean,
  ): Bm25Hit[] {
    if (this.liveCount === 0 || k <= 0) return [];
    const touched: number[] = [];
    const scores = this.scores;
    // Rarest terms first, within a budget of postings: terms found in much of a big collection
    // (吗, 怎么, a popular product name) add little to BM25 (low idf) but would dominate the cost,
    // so they are dropped once the budget is spent, as Lucene's common-terms query does. Collections
    // smaller than the budget (the demo FAQ) are always scored in full.
    const planned: { f: 0 | 1; df: number; ids: number[]; tfs: number[] }[] = [];
    for (const [f, terms] of [[0, new Set(words)] as const, [1, new Set(grams)] as const]) {
      for (const term of terms) {
        const posting = this.fields[f].postings.get(term);
        const df = this.fields[f].documentFrequency.get(term) ?? 0;
        if (posting && df > 0) planned.push({ f, df, ids: posting.ids, tfs: posting.tfs });
      }
    }
    planned.sort((a, b) => a.df - b.df);
    let budget = POSTING_BUDGET;
    for (const [n, { f, df, ids, tfs }] of planned.entries()) {
      if (n >= MIN_TERMS && ids.length > budget) continue;
      budget -= ids.length;
      const field = this.fields[f];
      const lengths = this.lengths[f];
      const averageLength = field.totalLength / this.liveCount || 1;
      const idf = Math.log(1 + (this.liveCount - df + 0.5) / (df + 0.5)) * field.boost;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (this.alive[id] !== 1) continue;
        const tf = tfs[i]!;
        const norm = tf + K1 * (1 - B + (B * lengths[id]!) / averageLength);
        if (scores[id] === 0) touched.push(id);
        scores[id]! += (idf * tf * (K1 + 1)) / norm;
      }
    }
    // Min-heap of the best k, so cost stays O(touched · log k) instead of sorting every match.
    const heap: Bm25Hit[] = [];
    for (const id of touched) {
      const score = scores[id]!;
      scores[id] = 0;
      if (heap.length === k && score <= heap[0]!.score) continue;
      if (accept && !accept(id)) continue;
      if (heap.length < k) {
        heap.push({ id, score });
        siftUp(heap, heap.length - 1);
      } else {
        heap[0] = { id, score };
        siftDown(heap, 0);
      }
    }
    return heap.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private ensureCapacity(size: number): void {
    if (size <= this.alive.length) return;
    let capacity = this.alive.length;
    while (capacity < size) capacity *= 2;
    const grow = <T extends Float64Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.lengths = [
      grow(this.lengths[0], (n) => new Float64Array(n)),
      grow(this.lengths[1], (n) => new Float64Array(n)),
    ];
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
    this.scores = grow(this.scores, (n) => new Float64Array(n));
  }

  private compact(): void {
    for (const field of this.fields) {
      for (const [term, posting] of field.postings) {
        const ids: number[] = [];
        const tfs: number[] = [];
        posting.ids.forEach((id, i) => {
          if (this.alive[id] === 1) {
            ids.push(id);
            tfs.push(posting.tfs[i]!);
          }
        });
        if (ids.length === 0) field.postings.delete(term);
        else field.postings.set(term, { ids, tfs });
      }
    }
    this.deadCount = 0;
  }
}

function siftUp(heap: Bm25Hit[], index: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.score <= heap[i]!.score) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function siftDown(heap: Bm25Hit[], index: number): void {
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && heap[left]!.score < heap[smallest]!.score) smallest = left;
    if (right < heap.length && heap[right]!.score < heap[smallest]!.score) smallest = right;
    if (smallest === i) return;
    [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
    i = smallest;
  }
}
