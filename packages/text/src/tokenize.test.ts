import { describe, expect, it } from 'vitest';
import { analyzeText, charBigrams, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('keeps merchant words whole', () => {
    expect(tokenize('退货有运费险吗')).toContain('运费险');
    expect(tokenize('支持七天无理由退换货吗')).toContain('七天无理由');
    expect(tokenize('双十一买的尾款什么时候付')).toEqual(expect.arrayContaining(['双十一', '尾款']));
  });

  it('maps colloquial forms to canonical words', () => {
    expect(tokenize('咋改地址')).toEqual(['怎么', '改地址']);
    expect(tokenize('肿么还木有发货')).toEqual(expect.arrayContaining(['怎么', '没有', '发货']));
    expect(tokenize('价保怎么申请')).toContain('保价');
    expect(tokenize('能退钱不')).toContain('退款');
    expect(tokenize('免运费吗')).toContain('包邮');
    expect(tokenize('神马时候发货')).toContain('多久');
  });

  it('turns a sentence-final 么/伐 into 吗 but keeps 什么/怎么', () => {
    expect(tokenize('可以开专票么')).toContain('吗');
    expect(tokenize('安装要收费伐')).toContain('吗');
    expect(tokenize('什么快递')).toContain('什么');
  });

  it('expands pinyin abbreviations', () => {
    expect(tokenize('kd到哪了')).toContain('快递');
  });

  it('drops stopwords but keeps question words', () => {
    const tokens = tokenize('请问我的订单多久能发货呢');
    expect(tokens).not.toContain('的');
    expect(tokens).not.toContain('我');
    expect(tokens).toEqual(expect.arrayContaining(['多久', '能不能', '发货']));
  });

  it('reads traditional-character input', () => {
    expect(tokenize('價保怎麼申請')).toEqual(tokenize('价保怎么申请'));
  });
});

describe('analyzeText', () => {
  it('finds domain terms, question types and negation', () => {
    const analyzed = analyzeText('为什么还没有发货');
    expect(analyzed.domainTerms).toContain('发货');
    expect(analyzed.questionTypes).toContain('why');
    expect(analyzed.hasNegation).toBe(true);
  });

  it('falls back to all words when every word is a stopword', () => {
    expect(analyzeText('在吗').tokens.length).toBeGreaterThan(0);
  });
});

describe('charBigrams', () => {
  it('returns overlapping pairs and a single character as itself', () => {
    expect(charBigrams('保价吗')).toEqual(['保价', '价吗']);
    expect(charBigrams('急')).toEqual(['急']);
  });
});
