import type {
  TArticle,
  TBotSettings,
  TFaq,
  TGroupRouting,
  TQuickReply,
  TRoutingRule,
  TSkillGroup,
  TStore,
  TUser,
} from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
} from '../../test/harness.ts';

// A PATCH (and the partial PUT of bot settings) changes only the fields sent: a field the create
// schema defaults (a group's concurrency, a store's greeting, a rule's lane…) keeps its stored value.
let server: TestServer;
let t: Tenant;
let admin = '';

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  admin = await login(server, t.admin.email);
});
afterAll(async () => {
  await server?.stop();
});

async function call<T>(method: string, path: string, body?: unknown) {
  const res = await api<T>(server, method, path, { token: admin, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

describe('PATCH keeps the fields not sent', () => {
  it('users: renaming keeps the concurrency cap and groups', async () => {
    const u = await call<TUser>('POST', '/api/users', {
      email: 'patch-user@test.local',
      name: '小王',
      role: 'agent',
      password: 'password-123',
      maxConcurrency: 7,
      storeIds: [t.store.id],
      groupIds: [t.groups.aftersale.id],
    });
    await call('PATCH', `/api/users/${u.id}`, { name: '小王二号' });
    const after = (await call<TUser[]>('GET', '/api/users')).find((x) => x.id === u.id);
    expect(after).toMatchObject({ name: '小王二号', maxConcurrency: 7, groupIds: [t.groups.aftersale.id] });
  });

  it('stores: renaming keeps the greeting', async () => {
    const st = await call<TStore>('POST', '/api/stores', {
      name: '补丁店',
      platform: 'jd',
      greeting: '欢迎光临补丁店',
    });
    await call('PATCH', `/api/stores/${st.id}`, { name: '补丁店 2' });
    const after = (await call<TStore[]>('GET', '/api/stores')).find((x) => x.id === st.id);
    expect(after).toMatchObject({ name: '补丁店 2', greeting: '欢迎光临补丁店', platform: 'jd' });
  });

  it('groups: renaming keeps the default concurrency', async () => {
    const g = await call<TSkillGroup>('POST', '/api/groups', { name: '大促组', defaultMaxConcurrency: 9 });
    await call('PATCH', `/api/groups/${g.id}`, { name: '大促组 2' });
    const after = (await call<TSkillGroup[]>('GET', '/api/groups')).find((x) => x.id === g.id);
    expect(after).toEqual({ id: g.id, name: '大促组 2', defaultMaxConcurrency: 9 });
  });

  it('FAQs: editing the answer keeps category, similar questions and enabled', async () => {
    const f = await call<TFaq>('POST', '/api/faqs', {
      question: '什么时候发货？',
      answer: '48 小时内',
      category: '物流',
      similarQuestions: ['几天发货'],
      enabled: false,
    });
    await call('PATCH', `/api/faqs/${f.id}`, { answer: '24 小时内' });
    expect(await call<TFaq>('GET', `/api/faqs/${f.id}`)).toMatchObject({
      answer: '24 小时内',
      category: '物流',
      similarQuestions: ['几天发货'],
      enabled: false,
    });
  });

  it('articles: retitling keeps category and enabled', async () => {
    const a = await call<TArticle>('POST', '/api/articles', {
      title: '退换货政策',
      body: '七天无理由',
      category: '售后',
      enabled: false,
    });
    await call('PATCH', `/api/articles/${a.id}`, { title: '退换货政策（新）' });
    const after = (await call<TArticle[]>('GET', '/api/articles')).find((x) => x.id === a.id);
    expect(after).toMatchObject({
      title: '退换货政策（新）',
      category: '售后',
      enabled: false,
      body: '七天无理由',
    });
  });

  it('quick replies: retitling keeps scope, category and body', async () => {
    const q = await call<TQuickReply>('POST', '/api/quick-replies', {
      scope: 'team',
      category: 'logistics',
      shortcut: 'ship',
      title: '发货',
      body: '今天发货',
    });
    const after = await call<TQuickReply>('PATCH', `/api/quick-replies/${q.id}`, { title: '发货时间' });
    expect(after).toMatchObject({
      title: '发货时间',
      scope: 'team',
      category: 'logistics',
      body: '今天发货',
    });
  });

  it('routing rules: renaming keeps position, enabled, conditions, group and lane', async () => {
    const r = await call<TRoutingRule>('POST', '/api/routing/rules', {
      storeId: t.store.id,
      name: 'VIP 直达',
      position: 3,
      enabled: false,
      conditions: { tiers: ['vip'] },
      groupId: t.groups.aftersale.id,
      lane: 'vip',
    });
    await call('PATCH', `/api/routing/rules/${r.id}`, { name: 'VIP 直达 2' });
    const after = (await call<TRoutingRule[]>('GET', '/api/routing/rules')).find((x) => x.id === r.id);
    expect(after).toMatchObject({
      name: 'VIP 直达 2',
      position: 3,
      enabled: false,
      conditions: { tiers: ['vip'] },
      groupId: t.groups.aftersale.id,
      lane: 'vip',
    });
  });

  it('group routing settings: one setting at a time keeps the others', async () => {
    const path = `/api/routing/groups/${t.groups.presale.id}`;
    await call('PATCH', path, { strategy: 'round_robin', serviceLevelSeconds: 45 });
    await call('PATCH', path, { stickyDays: 9 });
    const after = (await call<TGroupRouting[]>('GET', '/api/routing/groups')).find(
      (g) => g.groupId === t.groups.presale.id,
    );
    expect(after).toMatchObject({ strategy: 'round_robin', serviceLevelSeconds: 45, stickyDays: 9 });
  });

  it('customer routing flags: setting the risk flag keeps the tier', async () => {
    const v = await startVisitor(server, t.store.id);
    await call('PATCH', `/api/customers/${v.customerId}/routing`, { tier: 'vip' });
    const after = await call('PATCH', `/api/customers/${v.customerId}/routing`, { riskFlag: true });
    expect(after).toEqual({ id: v.customerId, tier: 'vip', riskFlag: true });
  });

  it('bot settings (a partial PUT): changing the mode keeps the hours and limits', async () => {
    const path = `/api/stores/${t.store.id}/bot-settings`;
    await call('PUT', path, { maxUnanswered: 4, hoursStart: '08:30', vipToHuman: false });
    await call('PUT', path, { mode: 'human_first' });
    expect(await call<TBotSettings>('GET', path)).toMatchObject({
      mode: 'human_first',
      maxUnanswered: 4,
      hoursStart: '08:30',
      vipToHuman: false,
    });
  });
});
