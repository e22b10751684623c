import { fillTemplate, type TAuditEntry, type TErrorBody, type TQuickReply } from '@peakdesk/contracts';
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
let supervisor: string;
let agent1: string;
let agent2: string;

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 2 });
  [admin, supervisor, agent1, agent2] = await Promise.all([
    login(server, t.admin.email),
    login(server, t.supervisor.email),
    login(server, t.agents[0]!.email),
    login(server, t.agents[1]!.email),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

const create = (token: string, body: Record<string, unknown>) =>
  api<TQuickReply & Partial<TErrorBody>>(server, 'POST', '/api/quick-replies', { token, body });
const list = async (token: string, query = '') =>
  (await api<TQuickReply[]>(server, 'GET', `/api/quick-replies${query}`, { token })).body;

describe('quick replies', () => {
  let team: TQuickReply;
  let personal1: TQuickReply;

  it('supervisors create team replies; agents create only personal ones', async () => {
    const res = await create(supervisor, {
      scope: 'team',
      category: 'welcome',
      shortcut: 'hi',
      title: '欢迎语',
      body: '亲，欢迎光临{store_name}，我是{agent_name}～',
    });
    expect(res.status).toBe(201);
    team = res.body;
    expect(team.scope).toBe('team');

    const denied = await create(agent1, {
      scope: 'team',
      category: 'welcome',
      shortcut: 'mine',
      title: 'x',
      body: 'x',
    });
    expect(denied.status).toBe(403);

    const own = await create(agent1, {
      scope: 'personal',
      category: 'logistics',
      shortcut: '快递',
      title: '物流查询',
      body: '{buyer_name}您好，您的包裹已发出，请耐心等待',
    });
    expect(own.status).toBe(201);
    personal1 = own.body;
    expect(personal1.scope).toBe('personal');
  });

  it("agents see team replies and their own, never another agent's personal ones", async () => {
    const seen1 = (await list(agent1)).map((r) => r.id);
    expect(seen1).toEqual(expect.arrayContaining([team.id, personal1.id]));
    const seen2 = (await list(agent2)).map((r) => r.id);
    expect(seen2).toContain(team.id);
    expect(seen2).not.toContain(personal1.id);
    // Even supervisors do not see an agent's personal scripts.
    expect((await list(supervisor)).map((r) => r.id)).not.toContain(personal1.id);
    // Editing or deleting them is a 404 for everyone else.
    const patch = await api(server, 'PATCH', `/api/quick-replies/${personal1.id}`, {
      token: agent2,
      body: { title: 'stolen' },
    });
    expect(patch.status).toBe(404);
    expect(
      (await api(server, 'DELETE', `/api/quick-replies/${personal1.id}`, { token: agent2 })).status,
    ).toBe(404);
  });

  it('agents cannot edit, delete or promote to team scope; supervisors can, and it is audited', async () => {
    const edit = await api(server, 'PATCH', `/api/quick-replies/${team.id}`, {
      token: agent1,
      body: { body: '改掉' },
    });
    expect(edit.status).toBe(403);
    expect((await api(server, 'DELETE', `/api/quick-replies/${team.id}`, { token: agent1 })).status).toBe(
      403,
    );
    const promote = await api(server, 'PATCH', `/api/quick-replies/${personal1.id}`, {
      token: agent1,
      body: { scope: 'team' },
    });
    expect(promote.status).toBe(403);
    expect((await list(agent2)).map((r) => r.id)).not.toContain(personal1.id);

    const ownEdit = await api<TQuickReply>(server, 'PATCH', `/api/quick-replies/${personal1.id}`, {
      token: agent1,
      body: { title: '物流查询（新）' },
    });
    expect(ownEdit.status).toBe(200);
    expect(ownEdit.body.title).toBe('物流查询（新）');
    expect(ownEdit.body.scope).toBe('personal');

    const supEdit = await api<TQuickReply>(server, 'PATCH', `/api/quick-replies/${team.id}`, {
      token: supervisor,
      body: { body: '亲，欢迎光临{store_name}～' },
    });
    expect(supEdit.status).toBe(200);
    expect(supEdit.body.scope).toBe('team');

    const temp = await create(admin, {
      scope: 'team',
      category: 'closing',
      shortcut: 'bye',
      title: '结束语',
      body: '感谢您的咨询，祝您生活愉快',
    });
    expect(
      (await api(server, 'DELETE', `/api/quick-replies/${temp.body.id}`, { token: supervisor })).status,
    ).toBe(200);
    expect((await list(agent1)).map((r) => r.id)).not.toContain(temp.body.id);

    const audit = await api<TAuditEntry[]>(server, 'GET', '/api/audit', { token: admin });
    const actions = audit.body.map((a) => `${a.action}:${a.targetId}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `quick_reply.create:${team.id}`,
        `quick_reply.update:${team.id}`,
        `quick_reply.delete:${temp.body.id}`,
      ]),
    );
    // Personal scripts are nobody's business but their owner's: not audited.
    expect(audit.body.some((a) => a.targetId === personal1.id)).toBe(false);
  });

  it('searches by q (shortcut, title, body; case-insensitive) and filters by category', async () => {
    await create(supervisor, {
      scope: 'team',
      category: 'returns',
      shortcut: 'TUIHUO',
      title: '退货说明',
      body: '七天无理由退货，请在订单页申请',
    });
    const byShortcut = await list(agent1, '?q=tuihuo');
    expect(byShortcut.map((r) => r.shortcut)).toEqual(['TUIHUO']);
    const byBody = await list(agent1, `?q=${encodeURIComponent('包裹')}`);
    expect(byBody.map((r) => r.id)).toEqual([personal1.id]);
    expect(await list(agent2, `?q=${encodeURIComponent('包裹')}`)).toEqual([]);
    const byTitle = await list(agent1, `?q=${encodeURIComponent('欢迎')}`);
    expect(byTitle.map((r) => r.id)).toEqual([team.id]);
    const byCategory = await list(agent1, '?category=returns');
    expect(byCategory.every((r) => r.category === 'returns')).toBe(true);
    expect(byCategory).toHaveLength(1);
    expect(await list(agent1, `?category=returns&q=${encodeURIComponent('欢迎')}`)).toEqual([]);
  });

  it('names the field in validation errors', async () => {
    const base = { scope: 'personal', category: 'custom', shortcut: 'ok', title: 't', body: 'b' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, category: 'spam' }, 'category'],
      [{ ...base, shortcut: 'has space' }, 'shortcut'],
      [{ ...base, shortcut: '/slash' }, 'shortcut'],
      [{ ...base, shortcut: 'x'.repeat(33) }, 'shortcut'],
      [{ ...base, scope: 'global' }, 'scope'],
      [{ ...base, body: '   ' }, 'body'],
      [{ ...base, title: '' }, 'title'],
    ];
    for (const [body, field] of cases) {
      const res = await create(agent1, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
    }
    const badQuery = await api<TErrorBody>(server, 'GET', '/api/quick-replies?category=spam', {
      token: agent1,
    });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.field).toBe('category');
    const badPatch = await api<TErrorBody>(server, 'PATCH', `/api/quick-replies/${personal1.id}`, {
      token: agent1,
      body: { shortcut: 'a b' },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.field).toBe('shortcut');
  });

  it('visitors and anonymous callers cannot use quick replies', async () => {
    expect((await api(server, 'GET', '/api/quick-replies')).status).toBe(401);
    const v = await api<{ visitorToken: string }>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id },
    });
    expect((await api(server, 'GET', '/api/quick-replies', { token: v.body.visitorToken })).status).toBe(403);
  });
});

describe('fillTemplate', () => {
  const vars = { buyer_name: '小王', agent_name: '客服小美', store_name: '测试旗舰店' };
  it.each([
    ['{buyer_name}您好', '小王您好'],
    ['我是{agent_name}，欢迎来到{store_name}', '我是客服小美，欢迎来到测试旗舰店'],
    ['{buyer_name}{buyer_name}', '小王小王'],
    ['预计{order_eta}送达', '预计{order_eta}送达'],
    ['没有变量', '没有变量'],
    ['{Buyer_Name} 与 {buyer name}', '{Buyer_Name} 与 {buyer name}'],
    ['{{buyer_name}}', '{小王}'],
    ['', ''],
  ])('%s → %s', (body, expected) => {
    expect(fillTemplate(body, vars)).toBe(expected);
  });

  it('leaves empty values as written so the agent notices', () => {
    expect(fillTemplate('{buyer_name}您好', { buyer_name: '' })).toBe('{buyer_name}您好');
  });

  it('inserts values literally (no $-pattern expansion)', () => {
    expect(fillTemplate('{buyer_name}', { buyer_name: "$& $' $1" })).toBe("$& $' $1");
  });
});
