import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25-index.ts';

describe('Bm25Index', () => {
  const build = (): Bm25Index => {
    const index = new Bm25Index();
    index.add({ id: 0, words: ['保价', '吗'], grams: ['保价', '价吗'] });
    index.add({ id: 1, words: ['尾款', '多久', '付款'], grams: ['尾款', '款多', '多久', '久付', '付款'] });
    index.add({ id: 2, words: ['发票', '怎么', '开'], grams: ['发票', '票怎', '怎么', '么开'] });
    return index;
  };

  it('ranks the document sharing the rarest terms first and returns at most k', () => {
    const hits = build().search(['尾款', '多久'], ['尾款', '多久'], 2);
    expect(hits[0]?.id).toBe(1);
    expect(hits.length).toBe(1);
    expect(build().search(['保价', '发票'], [], 1).length).toBe(1);
  });

  it('matches on bigrams when words differ (typos, unsegmented text)', () => {
    expect(build().search(['保价吗'], ['保价', '价吗'], 3)[0]?.id).toBe(0);
  });

  it('forgets removed documents and applies the filter', () => {
    const index = build();
    expect(index.remove(0)).toBe(true);
    expect(index.remove(0)).toBe(false);
    expect(index.size).toBe(2);
    expect(index.search(['保价'], ['保价'], 3)).toEqual([]);
    expect(index.search(['发票', '尾款'], [], 3, (id) => id !== 2).map((h) => h.id)).toEqual([1]);
  });

  it('grows past its initial capacity', () => {
    const index = new Bm25Index();
    for (let id = 0; id < 3000; id++) index.add({ id, words: [`w${id}`], grams: [] });
    expect(index.search(['w2999'], [], 1)[0]?.id).toBe(2999);
  });
});
