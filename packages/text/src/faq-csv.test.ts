import { describe, expect, it } from 'vitest';
import { loadDemoFaq, parseParaphraseJsonl } from './demo-data.ts';
import { parseFaqCsv } from './faq-csv.ts';

describe('parseFaqCsv', () => {
  it('reads quoted fields and splits similar questions on |', () => {
    const rows = parseFaqCsv(
      'id,category,question,answer,similar_questions\r\nf1,保价,你们保价吗,"亲，支持, 15天""价保""",降价退差价吗| 价保多久\n',
    );
    expect(rows).toEqual([
      {
        id: 'f1',
        category: '保价',
        question: '你们保价吗',
        answer: '亲，支持, 15天"价保"',
        similarQuestions: ['降价退差价吗', '价保多久'],
      },
    ]);
  });

  it('names the line and field of bad input', () => {
    expect(() => parseFaqCsv('id,question\nf1,x', 'kb.csv')).toThrow('kb.csv:1: missing column "category"');
    expect(() => parseFaqCsv('id,category,question,answer,similar_questions\nf1,a,,b,', 'kb.csv')).toThrow(
      'kb.csv:2: field "question" is empty',
    );
    expect(() =>
      parseFaqCsv('id,category,question,answer,similar_questions\nf1,a,q,b,\nf1,a,q2,b,', 'kb.csv'),
    ).toThrow('kb.csv:3: field "id" repeats "f1"');
  });

  it('loads the demo knowledge base with 45+ entries covering the promotion topics', () => {
    const faq = loadDemoFaq();
    expect(faq.length).toBeGreaterThanOrEqual(45);
    const categories = new Set(faq.map((f) => f.category));
    for (const c of ['物流', '售后', '保价', '预售', '发票', '优惠', '商品', '支付', '账户'])
      expect(categories).toContain(c);
  });
});

describe('parseParaphraseJsonl', () => {
  it('reads queries with a FAQ id or null and rejects bad lines', () => {
    expect(
      parseParaphraseJsonl('{"query":"保价吗","faqId":"f23"}\n{"query":"讲个笑话","faqId":null}\n', 'x'),
    ).toEqual([
      { query: '保价吗', faqId: 'f23' },
      { query: '讲个笑话', faqId: null },
    ]);
    expect(() => parseParaphraseJsonl('{"query":""}', 'x.jsonl')).toThrow('x.jsonl:1: bad "query"');
  });
});
