import { randomUUID } from 'node:crypto';
import type {
  TAck,
  TConversation,
  TErrorBody,
  TMessage,
  TPlanDetail,
  TPromotionDayTemplate,
  TQuickReply,
} from '@peakdesk/contracts';
import { queryRows, sql } from '@peakdesk/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentClient,
  api,
  createTenant,
  customerClient,
  login,
  signVisitorToken,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../test/harness.ts';
import { hashPassword } from '../modules/accounts/secrets.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(32, 7),
]);
const SECRET_TEXT = `机密消息-${randomUUID()}`;

let server: TestServer;
let a: Tenant;
let b: Tenant;
const tok = { aAdmin: '', aAgent: '', aSupervisor: '', bAdmin: '', bAgent: '' };
/** Everything org B owns that org A will try to reach. */
const bIds = {
  conversation: '',
  customer: '',
  attachment: '',
  token: '',
  apiToken: '',
  teamReply: '',
  personalReply: '',
  visitorToken: '',
};

beforeAll(async () => {
  server = await startTestServer({ PEAKDESK_WALL_INTERVAL_MS: '200' });
  [a, b] = await Promise.all([
    createTenant(server, { agents: 1, label: 'orga' }),
    createTenant(server, { agents: 1, label: 'orgb' }),
  ]);
  [tok.aAdmin, tok.aAgent, tok.aSupervisor, tok.bAdmin, tok.bAgent] = await Promise.all([
    login(server, a.admin.email),
    login(server, a.agents[0]!.email),
    login(server, a.supervisor.email),
    login(server, b.admin.email),
    login(server, b.agents[0]!.email),
  ]);
  for (const t of [tok.aAgent, tok.bAgent])
    await api(server, 'PUT', '/api/me/status', { token: t, body: { status: 'online' } });

  // Org B: a customer with an assigned conversation, messages, an image, API token and quick replies.
  const v = await startVisitor(server, b.store.id);
  bIds.customer = v.customerId;
  bIds.visitorToken = v.visitorToken;
  const conv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
    token: v.visitorToken,
    body: {},
  });
  expect(conv.body.status).toBe('assigned');
  bIds.conversation = conv.body.id;
  await api(server, 'POST', `/api/conversations/${conv.body.id}/messages`, {
    token: v.visitorToken,
    body: { clientId: 'b-1', type: 'text', body: SECRET_TEXT },
  });
  const att = await api<{ id: string }>(server, 'POST', `/api/conversations/${conv.body.id}/attachments`, {
    token: v.visitorToken,
    headers: { 'content-type': 'image/png' },
    raw: PNG,
  });
  bIds.attachment = att.body.id;
  const token = await api<{ id: string; token: string }>(server, 'POST', '/api/tokens', {
    token: tok.bAdmin,
    body: { name: 'B 的 ERP' },
  });
  bIds.token = token.body.id;
  bIds.apiToken = token.body.token;
  const team = await api<TQuickReply>(server, 'POST', '/api/quick-replies', {
    token: tok.bAdmin,
    body: { scope: 'team', category: 'welcome', shortcut: 'bhi', title: 'B 欢迎', body: 'B 的欢迎语' },
  });
  bIds.teamReply = team.body.id;
  const personal = await api<TQuickReply>(server, 'POST', '/api/quick-replies', {
    token: tok.bAgent,
    body: { scope: 'personal', category: 'custom', shortcut: 'bmine', title: 'B 私有', body: 'B 的私有话术' },
  });
  bIds.personalReply = personal.body.id;
});
afterAll(async () => {
  await server?.stop();
});

/** Strings that must never appear in any answer to org A. */
function bSecrets(): string[] {
  return [
    SECRET_TEXT,
    b.store.name,
    b.store.identitySecret,
    b.org.name,
    b.admin.email,
    b.agents[0]!.email,
    bIds.customer,
    bIds.apiToken,
    'B 的欢迎语',
    'B 的私有话术',
  ];
}

describe('tenant isolation: every route of org B answers 404/403 to org A', () => {
  const routes = (): [
    string,
    string,
    { body?: unknown; raw?: Buffer; headers?: Record<string, string> },
  ][] => [
    ['GET', `/api/conversations/${bIds.conversation}`, {}],
    ['GET', `/api/conversations/${bIds.conversation}/messages`, {}],
    ['GET', `/api/conversations/${bIds.conversation}/messages?afterSeq=0`, {}],
    [
      'POST',
      `/api/conversations/${bIds.conversation}/messages`,
      { body: { clientId: randomUUID(), type: 'text', body: '越权消息' } },
    ],
    ['POST', `/api/conversations/${bIds.conversation}/read`, { body: { seq: 100 } }],
    ['POST', `/api/conversations/${bIds.conversation}/resolve`, {}],
    ['GET', `/api/conversations/${bIds.conversation}/variables`, {}],
    [
      'POST',
      `/api/conversations/${bIds.conversation}/attachments`,
      { raw: PNG, headers: { 'content-type': 'image/png' } },
    ],
    ['GET', `/api/attachments/${bIds.attachment}`, {}],
    ['GET', `/api/customers/${bIds.customer}`, {}],
    ['PATCH', `/api/stores/${b.store.id}`, { body: { name: '被改名' } }],
    ['PATCH', `/api/groups/${b.groups.presale.id}`, { body: { name: '被改名' } }],
    ['PATCH', `/api/users/${b.agents[0]!.id}`, { body: { disabled: true } }],
    ['PATCH', `/api/users/${b.admin.id}`, { body: { role: 'agent' } }],
    ['DELETE', `/api/tokens/${bIds.token}`, {}],
    ['PATCH', `/api/quick-replies/${bIds.teamReply}`, { body: { body: '被改写' } }],
    ['PATCH', `/api/quick-replies/${bIds.personalReply}`, { body: { body: '被改写' } }],
    ['DELETE', `/api/quick-replies/${bIds.teamReply}`, {}],
    ['DELETE', `/api/quick-replies/${bIds.personalReply}`, {}],
  ];

  for (const who of ['aAdmin', 'aSupervisor', 'aAgent'] as const) {
    it(`${who} gets nothing of org B`, async () => {
      for (const [method, path, opts] of routes()) {
        const res = await api<TErrorBody>(server, method, path, { token: tok[who], ...opts });
        expect({ method, path, ok: res.status === 404 || res.status === 403 }).toEqual({
          method,
          path,
          ok: true,
        });
        const text = JSON.stringify(res.body);
        for (const s of bSecrets()) expect(text).not.toContain(s);
      }
    });
  }

  it("org B's data is untouched afterwards", async () => {
    const conv = await api<TConversation>(server, 'GET', `/api/conversations/${bIds.conversation}`, {
      token: tok.bAdmin,
    });
    expect(conv.body.status).toBe('assigned');
    const page = await api<{ messages: TMessage[] }>(
      server,
      'GET',
      `/api/conversations/${bIds.conversation}/messages`,
      { token: tok.bAdmin },
    );
    expect(page.body.messages.map((m) => m.body)).not.toContain('越权消息');
    const unread = await api<TConversation[]>(server, 'GET', '/api/conversations?scope=mine', {
      token: tok.bAgent,
    });
    expect(unread.body.find((c) => c.id === bIds.conversation)?.unread).toBe(1);
    const stores = await api<{ name: string }[]>(server, 'GET', '/api/stores', { token: tok.bAdmin });
    expect(stores.body.map((s) => s.name)).toEqual([b.store.name]);
    const groups = await api<{ name: string }[]>(server, 'GET', '/api/groups', { token: tok.bAdmin });
    expect(groups.body.map((g) => g.name)).toEqual(['售前', '售后']);
    expect((await api(server, 'GET', '/api/auth/me', { token: tok.bAgent })).status).toBe(200);
    expect((await api(server, 'GET', '/api/auth/me', { token: bIds.apiToken })).status).toBe(200);
    const replies = await api<TQuickReply[]>(server, 'GET', '/api/quick-replies', { token: tok.bAgent });
    expect(replies.body.map((r) => r.body).sort()).toEqual(['B 的欢迎语', 'B 的私有话术'].sort());
  });

  it("lists never include org B's rows", async () => {
    for (const [path, token] of [
      ['/api/conversations?scope=all', tok.aAdmin],
      ['/api/conversations?scope=all&status=assigned', tok.aSupervisor],
      ['/api/conversations?scope=queued', tok.aAdmin],
      ['/api/conversations?scope=mine', tok.aAgent],
      ['/api/stores', tok.aAdmin],
      ['/api/users', tok.aAdmin],
      ['/api/groups', tok.aAdmin],
      ['/api/tokens', tok.aAdmin],
      ['/api/quick-replies', tok.aAdmin],
      ['/api/quick-replies?q=B', tok.aAgent],
      ['/api/audit', tok.aAdmin],
    ] as const) {
      const res = await api<unknown[]>(server, 'GET', path, { token });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const text = JSON.stringify(res.body);
      for (const id of [
        bIds.conversation,
        bIds.token,
        bIds.teamReply,
        bIds.personalReply,
        b.store.id,
        b.admin.id,
        b.agents[0]!.id,
        b.groups.presale.id,
      ])
        expect({ path, leaked: text.includes(id) }).toEqual({ path, leaked: false });
      for (const s of bSecrets()) expect(text).not.toContain(s);
    }
  });

  it("org A cannot point its own records at org B's stores or groups", async () => {
    const user = await api<TErrorBody>(server, 'POST', '/api/users', {
      token: tok.aAdmin,
      body: {
        email: 'cross@test.local',
        name: 'x',
        role: 'agent',
        password: 'long-enough-1',
        storeIds: [b.store.id],
      },
    });
    expect(user.status).toBe(400);
    expect(user.body.field).toBe('storeIds');
    const groups = await api<TErrorBody>(server, 'PATCH', `/api/users/${a.agents[0]!.id}`, {
      token: tok.aAdmin,
      body: { groupIds: [b.groups.presale.id] },
    });
    expect(groups.status).toBe(400);
    expect(groups.body.field).toBe('groupIds');
    const store = await api<TErrorBody>(server, 'PATCH', `/api/stores/${a.store.id}`, {
      token: tok.aAdmin,
      body: { defaultGroupId: b.groups.presale.id },
    });
    expect(store.status).toBe(400);
    const newStore = await api<TErrorBody>(server, 'POST', '/api/stores', {
      token: tok.aAdmin,
      body: { name: '新店', platform: 'jd', defaultGroupId: b.groups.aftersale.id },
    });
    expect(newStore.status).toBe(400);
  });

  it('an org A socket hears nothing of org B', async () => {
    const aSup = agentClient(server, tok.aSupervisor);
    const aAdmin = agentClient(server, tok.aAdmin);
    const bAgent = agentClient(server, tok.bAgent);
    try {
      const leaked: unknown[] = [];
      for (const c of [aSup, aAdmin]) {
        c.socket.on('message:new', (m) => {
          if (m.conversationId === bIds.conversation) leaked.push(m);
        });
        c.socket.on('message:batch', (ms) => {
          for (const m of ms) if (m.conversationId === bIds.conversation) leaked.push(m);
        });
        c.socket.on('conversation:updated', (conv) => {
          if (conv.id === bIds.conversation) leaked.push(conv);
        });
        c.socket.on('typing', (e) => {
          if (e.conversationId === bIds.conversation) leaked.push(e);
        });
      }
      const bSeen: TMessage[] = [];
      bAgent.on('message', (m) => bSeen.push(m));
      await waitFor(() => aSup.connected && aAdmin.connected && bAgent.connected);
      await bAgent.watch(bIds.conversation);
      const reply = await bAgent.send({
        conversationId: bIds.conversation,
        type: 'text',
        body: 'B 客服回复',
      });
      bAgent.typing(bIds.conversation, true);
      await waitFor(() => bSeen.find((m) => m.id === reply.id));

      // A marker in org A: once A's supervisor has it, anything emitted before it has arrived too.
      const v = await startVisitor(server, a.store.id);
      const aConv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: v.visitorToken,
        body: {},
      });
      const marker: TMessage[] = [];
      aSup.socket.on('message:new', (m) => {
        if (m.conversationId === aConv.body.id) marker.push(m);
      });
      aSup.socket.on('message:batch', (ms) => {
        for (const m of ms) if (m.conversationId === aConv.body.id) marker.push(m);
      });
      aAdmin.socket.on('message:new', (m) => {
        if (m.conversationId === aConv.body.id) marker.push(m);
      });
      aAdmin.socket.on('message:batch', (ms) => {
        for (const m of ms) if (m.conversationId === aConv.body.id) marker.push(m);
      });
      await api(server, 'POST', `/api/conversations/${aConv.body.id}/messages`, {
        token: v.visitorToken,
        body: { clientId: 'marker', type: 'text', body: 'A 的标记' },
      });
      await waitFor(() => marker.filter((m) => m.body === 'A 的标记').length === 2);
      expect(leaked).toEqual([]);

      // Socket requests are scoped too.
      const sync = (await aSup.socket
        .timeout(5000)
        .emitWithAck('sync', { conversationId: bIds.conversation, afterSeq: 0 })) as TAck<unknown>;
      expect(sync).toEqual({
        ok: false,
        error: { code: 'conversation_not_found', message: expect.any(String) },
      });
      const send = (await aAdmin.socket.timeout(5000).emitWithAck('message:send', {
        conversationId: bIds.conversation,
        clientId: randomUUID(),
        type: 'text',
        body: '越权',
      })) as TAck<unknown>;
      expect(send.ok).toBe(false);
      // The periodic resync's head check leaves org B's conversation out, as an unknown id.
      const heads = (await aAdmin.socket
        .timeout(5000)
        .emitWithAck('sync:heads', { conversationIds: [bIds.conversation] })) as TAck<unknown>;
      expect(heads).toEqual({ ok: true, data: [] });
    } finally {
      aSup.close();
      aAdmin.close();
      bAgent.close();
    }
  });
});

describe('visitor isolation', () => {
  it("a visitor cannot read or write another visitor's conversation, over REST or the socket", async () => {
    const v1 = await startVisitor(server, a.store.id);
    const v2 = await startVisitor(server, a.store.id);
    const c1 = (
      await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: v1.visitorToken,
        body: {},
      })
    ).body;
    const own = await api<TMessage>(server, 'POST', `/api/conversations/${c1.id}/messages`, {
      token: v1.visitorToken,
      body: { clientId: 'v1-a', type: 'text', body: '我的地址是北京市朝阳区' },
    });
    expect(own.status).toBe(200);
    const att = await api<{ id: string }>(server, 'POST', `/api/conversations/${c1.id}/attachments`, {
      token: v1.visitorToken,
      headers: { 'content-type': 'image/png' },
      raw: PNG,
    });

    const t2 = v2.visitorToken;
    for (const [method, path, body] of [
      ['GET', `/api/conversations/${c1.id}`, undefined],
      ['GET', `/api/conversations/${c1.id}/messages`, undefined],
      ['POST', `/api/conversations/${c1.id}/messages`, { clientId: 'v2-x', type: 'text', body: '冒充' }],
      ['POST', `/api/conversations/${c1.id}/read`, { seq: 1 }],
      ['GET', `/api/attachments/${att.body.id}`, undefined],
    ] as const) {
      const res = await api(server, method, path, { token: t2, body });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(JSON.stringify(res.body)).not.toContain('北京市');
    }
    const upload = await api(server, 'POST', `/api/conversations/${c1.id}/attachments`, {
      token: t2,
      headers: { 'content-type': 'image/png' },
      raw: PNG,
    });
    expect(upload.status).toBe(404);
    // v2's own conversation list is empty; v1's is not shown to v2.
    const list = await api<TConversation[]>(server, 'GET', '/api/widget/conversations', { token: t2 });
    expect(list.body).toEqual([]);

    const s1 = customerClient(server, v1.visitorToken);
    const s2 = customerClient(server, t2);
    try {
      const leaked: unknown[] = [];
      s2.socket.on('message:new', (m) => leaked.push(m));
      s2.socket.on('message:batch', (ms) => leaked.push(...ms));
      s2.socket.on('conversation:updated', (c) => leaked.push(c));
      s2.socket.on('typing', (e) => leaked.push(e));
      s2.socket.on('read', (e) => leaked.push(e));
      const seen1: TMessage[] = [];
      s1.on('message', (m) => seen1.push(m));
      await waitFor(() => s1.connected && s2.connected);

      const sync = (await s2.socket
        .timeout(5000)
        .emitWithAck('sync', { conversationId: c1.id, afterSeq: 0 })) as TAck<unknown>;
      expect(sync.ok).toBe(false);
      if (!sync.ok) expect(sync.error.code).toBe('conversation_not_found');
      const send = (await s2.socket.timeout(5000).emitWithAck('message:send', {
        conversationId: c1.id,
        clientId: 'v2-sock',
        type: 'text',
        body: '冒充',
      })) as TAck<unknown>;
      expect(send.ok).toBe(false);
      s2.typing(c1.id, true);

      await s1.watch(c1.id);
      const sent = await s1.send({ conversationId: c1.id, type: 'text', body: '第二条私密消息' });
      const agentReply = await api<TMessage>(server, 'POST', `/api/conversations/${c1.id}/messages`, {
        token: tok.aAgent,
        body: { clientId: 'agent-1', type: 'text', body: '收到' },
      });
      await api(server, 'POST', `/api/conversations/${c1.id}/read`, {
        token: tok.aAgent,
        body: { seq: sent.seq },
      });
      await waitFor(() => seen1.find((m) => m.id === agentReply.body.id));

      // A marker to v2 itself: socket order means any leak would have arrived before it.
      const c2 = await s2.openConversation();
      const mine = await s2.send({ conversationId: c2.id, type: 'text', body: 'v2 自己的' });
      expect(mine.conversationId).toBe(c2.id);
      await waitFor(() => s2.lastSeqOf(c2.id) === mine.seq);
      expect(leaked.filter((x) => JSON.stringify(x).includes(c1.id))).toEqual([]);
      const page = await api<{ messages: TMessage[] }>(
        server,
        'GET',
        `/api/conversations/${c1.id}/messages`,
        {
          token: v1.visitorToken,
        },
      );
      expect(page.body.messages.map((m) => m.body)).not.toContain('冒充');
    } finally {
      s1.close();
      s2.close();
    }
  });

  it('a visitor token cannot use agent routes', async () => {
    const v = await startVisitor(server, a.store.id);
    for (const [method, path, body] of [
      ['GET', '/api/conversations?scope=mine', undefined],
      ['GET', '/api/users', undefined],
      ['GET', '/api/stores', undefined],
      ['GET', '/api/quick-replies', undefined],
      ['GET', '/api/audit', undefined],
      ['GET', '/api/dead-letters', undefined],
      ['GET', '/api/dead-letters/backlog', undefined],
      ['POST', '/api/dead-letters/jobs/1/replay', undefined],
      ['GET', `/api/customers/${v.customerId}`, undefined],
      ['PUT', '/api/me/status', { status: 'online' }],
      ['POST', '/api/tokens', { name: 'x' }],
      ['GET', '/api/auth/me', undefined],
    ] as const) {
      const res = await api<TErrorBody>(server, method, path, { token: v.visitorToken, body });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });

  it('forged or tampered visitor tokens are rejected over REST and the socket', async () => {
    const v = await startVisitor(server, a.store.id);
    const conv = (
      await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: v.visitorToken,
        body: {},
      })
    ).body;
    const [, customerId, storeId, sig] = v.visitorToken.split('.') as [string, string, string, string];
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    const other = await startVisitor(server, a.store.id);
    const forged = [
      `vt1.${customerId}.${storeId}.${flipped}`,
      `vt1.${other.customerId}.${storeId}.${sig}`,
      `vt1.${customerId}.${b.store.id}.${sig}`,
      signVisitorToken('guessed-secret-guessed-secret-00', customerId, storeId),
      `vt1.${customerId}.${storeId}`,
      `vt1.${customerId}.${storeId}.${sig}.extra`,
      'vt1.garbage',
    ];
    for (const token of forged) {
      const res = await api<TErrorBody>(server, 'GET', `/api/conversations/${conv.id}/messages`, { token });
      expect({ token, status: res.status }).toEqual({ token, status: 401 });
      const send = await api(server, 'POST', `/api/conversations/${conv.id}/messages`, {
        token,
        body: { clientId: randomUUID(), type: 'text', body: 'x' },
      });
      expect(send.status).toBe(401);
    }
    // A token of a real customer signed for another store does not resolve either.
    const wrongStore = signVisitorToken(server.services.secret, customerId, b.store.id);
    expect((await api(server, 'GET', '/api/widget/conversations', { token: wrongStore })).status).toBe(401);
    // A widget session with a forged token starts a fresh anonymous customer instead.
    const session = await api<{ customerId: string }>(server, 'POST', '/api/widget/session', {
      body: { storeId: a.store.id, visitorToken: forged[0] },
    });
    expect(session.status).toBe(200);
    expect(session.body.customerId).not.toBe(customerId);
    // The socket handshake refuses it.
    const client = customerClient(server, forged[0]!);
    try {
      const errors: string[] = [];
      client.on('error', (e) => errors.push(e.message));
      await waitFor(() => errors.includes('unauthenticated'));
      expect(client.connected).toBe(false);
    } finally {
      client.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// The route table: every route of the OpenAPI document has a case, for another organisation (org A's
// callers against org B's rows) and for another store of the same organisation (store X's supervisor
// and agent against store Y's rows). A route added without a case fails the completeness test.
// ---------------------------------------------------------------------------------------------------

/** Rows of one foreign scope (org B, or store Y of org A) that the callers will try to reach. */
type Foreign = {
  label: string;
  orgId: string;
  storeId: string;
  groupId: string;
  conversation: string;
  customer: string;
  attachment: string;
  faq: string;
  article: string;
  rule: string;
  leaveMessage: string;
  unanswered: string;
  history: string;
  plan: string;
  user: string;
  token: string;
  teamReply: string;
  personalReply: string;
  drillRun: string;
  /** A dead outbox delivery (listener + event id) and a dead job of the organisation. */
  deadEvent: { listener: string; id: string };
  deadJob: string;
  /** Ids and texts that must not appear in any answer to the callers. */
  secrets: string[];
};
type Role = 'agent' | 'supervisor' | 'admin' | 'customer';
type Req = {
  method?: string;
  path: string;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
  /** The least role this request serves, when it is more than the route's. */
  who?: Role;
};
type Case =
  /** Not tenant data, or only the caller's own: nothing foreign can be named. */
  | { kind: 'none'; why: string }
  /** Names a foreign row by id: 404 for a caller whose role the route serves, else 403/404. */
  | { kind: 'row'; who: Role; req: (f: Foreign) => Req | Req[]; store?: string }
  /** Lists: 200 (403 below the route's role) and none of the foreign rows in it. */
  | { kind: 'list'; who: Role; req: (f: Foreign) => Req | Req[]; store?: string }
  /** Points a write (or a filter) at a foreign store/row: 400 or 404, nothing written. */
  | { kind: 'refer'; who: Role; req: (f: Foreign) => Req | Req[]; store?: string };

const csv = (text: string): Pick<Req, 'raw' | 'headers'> => ({
  raw: Buffer.from(text),
  headers: { 'content-type': 'text/csv' },
});
const ORG_LEVEL = 'organisation-level (no store column): covered by the other-organisation case';

const ROUTES: Record<string, Case> = {
  'GET /health': { kind: 'none', why: 'liveness, no data' },
  'GET /ready': { kind: 'none', why: 'readiness, no data' },
  'GET /widget.js': { kind: 'none', why: 'static widget script' },
  'POST /api/auth/login': { kind: 'none', why: 'credentials answer only the account they belong to' },
  'POST /api/auth/logout': { kind: 'none', why: "ends the caller's own session" },
  'GET /api/auth/me': { kind: 'none', why: 'the caller themself' },
  'GET /api/auth/session': { kind: 'none', why: 'the caller themself, or not signed in' },
  'POST /api/auth/password': { kind: 'none', why: "the caller's own password" },
  'PUT /api/me/status': { kind: 'none', why: "the caller's own status" },
  'GET /api/setup': { kind: 'none', why: 'first run: only whether an admin exists yet' },
  'POST /api/setup': {
    kind: 'none',
    why: 'first run: creates a new organisation with the one-time start token; 409 once an admin exists (organizations.test.ts)',
  },
  'POST /api/widget/session': {
    kind: 'none',
    why: 'public by design: any buyer may open a chat with a store by its id (a new customer of that store)',
  },
  'POST /api/widget/conversations': { kind: 'none', why: "opens a chat in the visitor's own store" },
  'POST /api/widget/logout': { kind: 'none', why: "revokes the visitor's own tokens" },
  'GET /api/workforce/templates/promotion-day': { kind: 'none', why: 'a static settings template' },
  'POST /api/groups': { kind: 'none', why: "creates a group in the caller's organisation; names nothing" },
  'POST /api/tokens': { kind: 'none', why: "mints a token of the caller's organisation; names nothing" },
  'POST /api/quick-replies': { kind: 'none', why: "creates a script of the caller's organisation" },
  'POST /api/drills/organizations': { kind: 'none', why: "creates a drill organisation under the caller's" },
  'POST /api/drills/runs': {
    kind: 'none',
    why: "starts a drill of the caller's organisation (spawns the simulator: not run here)",
  },

  // accounts
  'GET /api/users': { kind: 'list', who: 'supervisor', req: () => ({ path: '/api/users' }) },
  'POST /api/users': {
    kind: 'refer',
    who: 'admin',
    req: (f) => ({
      path: '/api/users',
      body: {
        email: `x-${randomUUID()}@test.local`,
        name: 'x',
        role: 'agent',
        password: 'long-enough-1',
        storeIds: [f.storeId],
      },
    }),
  },
  'PATCH /api/users/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/users/${f.user}`, body: { disabled: true } }),
  },
  'GET /api/stores': { kind: 'list', who: 'agent', req: () => ({ path: '/api/stores' }) },
  'POST /api/stores': {
    kind: 'refer',
    who: 'admin',
    req: (f) => ({ path: '/api/stores', body: { name: '新店', platform: 'jd', defaultGroupId: f.groupId } }),
    store: ORG_LEVEL,
  },
  'PATCH /api/stores/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/stores/${f.storeId}`, body: { name: '被改名' } }),
  },
  'POST /api/stores/{id}/rotate-secret': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/stores/${f.storeId}/rotate-secret` }),
  },
  'GET /api/groups': { kind: 'list', who: 'agent', req: () => ({ path: '/api/groups' }), store: ORG_LEVEL },
  'PATCH /api/groups/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/groups/${f.groupId}`, body: { name: '被改名' } }),
    store: ORG_LEVEL,
  },
  'GET /api/tokens': { kind: 'list', who: 'admin', req: () => ({ path: '/api/tokens' }), store: ORG_LEVEL },
  'DELETE /api/tokens/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/tokens/${f.token}` }),
    store: ORG_LEVEL,
  },
  'GET /api/audit': { kind: 'list', who: 'admin', req: () => ({ path: '/api/audit' }), store: ORG_LEVEL },

  // dead letters (organisation-level: outbox deliveries and jobs carry no store)
  'GET /api/dead-letters': {
    kind: 'list',
    who: 'admin',
    req: () => [
      { path: '/api/dead-letters' },
      { path: '/api/dead-letters?kind=event' },
      { path: '/api/dead-letters?kind=job' },
    ],
    store: ORG_LEVEL,
  },
  'GET /api/dead-letters/backlog': {
    kind: 'list',
    who: 'admin',
    req: () => ({ path: '/api/dead-letters/backlog' }),
    store: ORG_LEVEL,
  },
  'POST /api/dead-letters/events/{listener}/{eventId}/replay': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/dead-letters/events/${f.deadEvent.listener}/${f.deadEvent.id}/replay` }),
    store: ORG_LEVEL,
  },
  'POST /api/dead-letters/jobs/{id}/replay': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/dead-letters/jobs/${f.deadJob}/replay` }),
    store: ORG_LEVEL,
  },

  // chat
  'GET /api/conversations': {
    kind: 'list',
    who: 'agent',
    req: () => [
      { path: '/api/conversations?scope=mine' },
      { path: '/api/conversations?scope=queued' },
      { path: '/api/conversations?scope=all', who: 'supervisor' },
      { path: '/api/conversations?scope=all&status=assigned', who: 'supervisor' },
    ],
  },
  'GET /api/conversations/{id}': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}` }),
  },
  'GET /api/conversations/{id}/messages': {
    kind: 'row',
    who: 'agent',
    req: (f) => [
      { path: `/api/conversations/${f.conversation}/messages` },
      { path: `/api/conversations/${f.conversation}/messages?afterSeq=0` },
    ],
  },
  'POST /api/conversations/{id}/messages': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({
      path: `/api/conversations/${f.conversation}/messages`,
      body: { clientId: randomUUID(), type: 'text', body: '越权消息' },
    }),
  },
  'POST /api/conversations/{id}/read': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/read`, body: { seq: 100 } }),
  },
  'POST /api/conversations/{id}/resolve': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/resolve` }),
  },
  'GET /api/conversations/{id}/variables': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/variables` }),
  },
  'POST /api/conversations/{id}/attachments': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({
      path: `/api/conversations/${f.conversation}/attachments`,
      raw: PNG,
      headers: { 'content-type': 'image/png' },
    }),
  },
  'GET /api/attachments/{id}': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/attachments/${f.attachment}` }),
  },
  'GET /api/customers/{id}': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/customers/${f.customer}` }),
  },
  'POST /api/customers/{id}/revoke-visitor-tokens': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/customers/${f.customer}/revoke-visitor-tokens` }),
  },
  'GET /api/widget/conversations': {
    kind: 'list',
    who: 'customer',
    req: () => ({ path: '/api/widget/conversations' }),
  },

  // quick replies (organisation scripts and personal ones: no store column)
  'GET /api/quick-replies': {
    kind: 'list',
    who: 'agent',
    req: () => [{ path: '/api/quick-replies' }, { path: '/api/quick-replies?q=B' }],
    store: ORG_LEVEL,
  },
  'PATCH /api/quick-replies/{id}': {
    kind: 'row',
    who: 'agent',
    req: (f) => [
      { path: `/api/quick-replies/${f.teamReply}`, body: { body: '被改写' } },
      { path: `/api/quick-replies/${f.personalReply}`, body: { body: '被改写' } },
    ],
    store: ORG_LEVEL,
  },
  'DELETE /api/quick-replies/{id}': {
    kind: 'row',
    who: 'agent',
    req: (f) => [
      { path: `/api/quick-replies/${f.teamReply}` },
      { path: `/api/quick-replies/${f.personalReply}` },
    ],
    store: ORG_LEVEL,
  },

  // drills (organisation-level)
  'GET /api/drills/runs': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/drills/runs' }),
    store: ORG_LEVEL,
  },
  'GET /api/drills/runs/{id}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/drills/runs/${f.drillRun}` }),
    store: ORG_LEVEL,
  },
  'GET /api/drills/runs/{id}/report': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/drills/runs/${f.drillRun}/report` }),
    store: ORG_LEVEL,
  },

  // routing
  'GET /api/routing/rules': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/routing/rules' }),
  },
  'POST /api/routing/rules': {
    kind: 'refer',
    who: 'admin',
    req: (f) => ({ path: '/api/routing/rules', body: { storeId: f.storeId, name: '越权规则' } }),
  },
  'PATCH /api/routing/rules/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/routing/rules/${f.rule}`, body: { name: '被改名' } }),
  },
  'DELETE /api/routing/rules/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/routing/rules/${f.rule}` }),
  },
  'GET /api/routing/groups': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/routing/groups' }),
    store: ORG_LEVEL,
  },
  'PATCH /api/routing/groups/{id}': {
    kind: 'row',
    who: 'admin',
    req: (f) => ({ path: `/api/routing/groups/${f.groupId}`, body: { maxWaitSeconds: 60 } }),
    store: ORG_LEVEL,
  },
  'PATCH /api/customers/{id}/routing': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/customers/${f.customer}/routing`, body: { tier: 'vip' } }),
  },
  'GET /api/routing/wall': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/routing/wall' }),
  },
  'GET /api/routing/leave-messages': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/routing/leave-messages' }),
  },
  'PATCH /api/routing/leave-messages/{id}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/routing/leave-messages/${f.leaveMessage}`, body: { status: 'handled' } }),
  },
  'POST /api/conversations/{id}/transfer': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/transfer`, body: { toGroupId: f.groupId } }),
  },
  'POST /api/conversations/{id}/take-over': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/take-over` }),
  },
  'GET /api/widget/conversations/{id}/queue': {
    kind: 'row',
    who: 'customer',
    req: (f) => ({ path: `/api/widget/conversations/${f.conversation}/queue` }),
  },
  'POST /api/widget/conversations/{id}/leave-message': {
    kind: 'row',
    who: 'customer',
    req: (f) => ({
      path: `/api/widget/conversations/${f.conversation}/leave-message`,
      body: { message: '越权留言' },
    }),
  },
  'POST /api/widget/conversations/{id}/keep-waiting': {
    kind: 'row',
    who: 'customer',
    req: (f) => ({ path: `/api/widget/conversations/${f.conversation}/keep-waiting` }),
  },
  'POST /api/widget/conversations/{id}/leave': {
    kind: 'row',
    who: 'customer',
    req: (f) => ({ path: `/api/widget/conversations/${f.conversation}/leave` }),
  },

  // knowledge
  'GET /api/faqs': {
    kind: 'list',
    who: 'agent',
    req: (f) => [{ path: '/api/faqs' }, { path: `/api/faqs?storeId=${f.storeId}` }],
  },
  'POST /api/faqs': {
    kind: 'refer',
    who: 'supervisor',
    req: (f) => ({
      path: '/api/faqs',
      body: { storeId: f.storeId, question: '越权问题', answer: '越权答案' },
    }),
  },
  'POST /api/faqs/import': {
    kind: 'refer',
    who: 'supervisor',
    req: (f) => ({
      path: `/api/faqs/import?format=csv&storeId=${f.storeId}`,
      ...csv('id,category,question,answer,similar_questions\nx-1,c,越权问题,越权答案,\n'),
    }),
  },
  'GET /api/faqs/export': {
    kind: 'list',
    who: 'agent',
    req: () => ({ path: '/api/faqs/export?format=csv' }),
  },
  'GET /api/faqs/{id}': { kind: 'row', who: 'agent', req: (f) => ({ path: `/api/faqs/${f.faq}` }) },
  'PATCH /api/faqs/{id}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/faqs/${f.faq}`, body: { answer: '被改写' } }),
  },
  'DELETE /api/faqs/{id}': { kind: 'row', who: 'supervisor', req: (f) => ({ path: `/api/faqs/${f.faq}` }) },
  'GET /api/articles': { kind: 'list', who: 'agent', req: () => ({ path: '/api/articles' }) },
  'POST /api/articles': {
    kind: 'refer',
    who: 'supervisor',
    req: (f) => ({ path: '/api/articles', body: { storeId: f.storeId, title: '越权', body: '越权' } }),
  },
  'PATCH /api/articles/{id}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/articles/${f.article}`, body: { body: '被改写' } }),
  },
  'DELETE /api/articles/{id}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/articles/${f.article}` }),
  },

  // bot
  'GET /api/stores/{storeId}/bot-settings': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/stores/${f.storeId}/bot-settings` }),
  },
  'PUT /api/stores/{storeId}/bot-settings': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/stores/${f.storeId}/bot-settings`, body: { mode: 'bot_first' } }),
  },
  'POST /api/bot/try': {
    kind: 'refer',
    who: 'agent',
    req: (f) => ({ path: '/api/bot/try', body: { text: '发货', storeId: f.storeId } }),
  },
  'GET /api/bot/unanswered': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/bot/unanswered' }),
  },
  'POST /api/bot/unanswered/{id}/close': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/bot/unanswered/${f.unanswered}/close`, body: { status: 'dismissed' } }),
  },
  'GET /api/conversations/{id}/suggestions': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/suggestions` }),
  },
  'GET /api/conversations/{id}/bot-context': {
    kind: 'row',
    who: 'agent',
    req: (f) => ({ path: `/api/conversations/${f.conversation}/bot-context` }),
  },

  // workforce
  'POST /api/workforce/histories/import': {
    kind: 'refer',
    who: 'supervisor',
    req: (f) => ({
      path: `/api/workforce/histories/import?format=csv&filename=h.csv&storeId=${f.storeId}`,
      ...csv('timestamp,count\n2025-11-10T00:00:00+08:00,5\n2025-11-10T00:30:00+08:00,6\n'),
    }),
  },
  'GET /api/workforce/histories': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/workforce/histories' }),
  },
  'GET /api/workforce/volume': {
    kind: 'refer',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/volume?storeId=${f.storeId}&intervalMinutes=30&days=3` }),
  },
  'GET /api/workforce/plans': {
    kind: 'list',
    who: 'supervisor',
    req: () => ({ path: '/api/workforce/plans' }),
  },
  'POST /api/workforce/plans': {
    kind: 'refer',
    who: 'supervisor',
    req: (f) => ({
      path: '/api/workforce/plans',
      body: { name: '越权', storeId: f.storeId, settings: planSettings(f.history) },
    }),
  },
  'GET /api/workforce/plans/{id}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/plans/${f.plan}` }),
  },
  'POST /api/workforce/plans/{id}/versions': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({
      path: `/api/workforce/plans/${f.plan}/versions`,
      body: { settings: planSettings(f.history) },
    }),
  },
  'GET /api/workforce/plans/{id}/versions/{version}': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/plans/${f.plan}/versions/1` }),
  },
  'POST /api/workforce/plans/{id}/versions/{version}/publish': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/plans/${f.plan}/versions/1/publish` }),
  },
  'GET /api/workforce/plans/{id}/versions/{version}/export': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/plans/${f.plan}/versions/1/export` }),
  },
  'GET /api/workforce/plans/{id}/compare': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/plans/${f.plan}/compare?a=1&b=1` }),
  },
  'GET /api/workforce/plans/{id}/intraday': {
    kind: 'row',
    who: 'supervisor',
    req: (f) => ({ path: `/api/workforce/plans/${f.plan}/intraday` }),
  },
  'GET /api/workforce/my-shifts': {
    kind: 'list',
    who: 'agent',
    req: () => ({ path: '/api/workforce/my-shifts' }),
  },
};

let settingsTemplate: TPromotionDayTemplate['settings'];
function planSettings(historyId: string) {
  return {
    ...settingsTemplate,
    history: { source: 'import', historyId },
    forecast: { method: 'weekday-mean', promotionDates: [], upliftFactor: 1 },
  };
}
function historyCsv(days: number): string {
  const lines = ['timestamp,count'];
  const start = Date.parse('2025-11-11T00:00:00Z') - days * 86_400_000;
  for (let i = 0; i < days * 48; i++)
    lines.push(`${new Date(start + i * 1_800_000).toISOString().slice(0, 19)}+08:00,${5 + (i % 7)}`);
  return `${lines.join('\n')}\n`;
}

/** Seeds the rows of one scope (an org, or one store of an org) through the API and the database. */
async function seedForeign(o: {
  label: string;
  orgId: string;
  storeId: string;
  groupId: string;
  adminToken: string;
  agentToken: string;
  agentId: string;
  orgLevel: { user: string; token: string; teamReply: string; personalReply: string } | null;
}): Promise<Foreign> {
  const secret = `机密-${o.label}-${randomUUID()}`;
  const v = await startVisitor(server, o.storeId);
  const conv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
    token: v.visitorToken,
    body: {},
  });
  expect(conv.body.assigneeId).toBe(o.agentId);
  await api(server, 'POST', `/api/conversations/${conv.body.id}/messages`, {
    token: v.visitorToken,
    body: { clientId: 'secret-1', type: 'text', body: secret },
  });
  const att = await api<{ id: string }>(server, 'POST', `/api/conversations/${conv.body.id}/attachments`, {
    token: v.visitorToken,
    headers: { 'content-type': 'image/png' },
    raw: PNG,
  });
  const as = { token: o.adminToken };
  const faqId = `faq-${o.label}`;
  const faq = await api(server, 'POST', '/api/faqs', {
    ...as,
    body: { id: faqId, storeId: o.storeId, question: `${secret} 问题`, answer: `${secret} 答案` },
  });
  expect(faq.status).toBe(201);
  const article = await api<{ id: string }>(server, 'POST', '/api/articles', {
    ...as,
    body: { storeId: o.storeId, title: `${secret} 文章`, body: secret },
  });
  const rule = await api<{ id: string }>(server, 'POST', '/api/routing/rules', {
    ...as,
    body: { storeId: o.storeId, name: `${secret} 规则` },
  });
  expect(rule.status).toBe(201);
  const [leave] = await queryRows<{ id: string }>(
    server.db.db,
    sql`INSERT INTO ticket_placeholders (org_id, store_id, customer_id, conversation_id, note)
        VALUES (${o.orgId}, ${o.storeId}, ${v.customerId}, ${conv.body.id}, ${`${secret} 留言`}) RETURNING id`,
  );
  const [unanswered] = await queryRows<{ id: string }>(
    server.db.db,
    sql`INSERT INTO bot_unanswered (org_id, store_id, conversation_id, question)
        VALUES (${o.orgId}, ${o.storeId}, ${conv.body.id}, ${`${secret} 未答`}) RETURNING id`,
  );
  const history = await api<{ id: string }>(
    server,
    'POST',
    `/api/workforce/histories/import?format=csv&filename=${o.label}.csv&name=${encodeURIComponent(secret)}&storeId=${o.storeId}`,
    { ...as, ...csv(historyCsv(14)) },
  );
  expect(history.status).toBe(201);
  const plan = await api<TPlanDetail>(server, 'POST', '/api/workforce/plans', {
    ...as,
    body: { name: `${secret} 计划`, storeId: o.storeId, settings: planSettings(history.body.id) },
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  const [drill] = await queryRows<{ id: string }>(
    server.db.db,
    sql`INSERT INTO drill_runs (org_id, drill_org_id, status, instance_id, supervisor_email, settings, report_html)
        VALUES (${o.orgId}, ${o.orgId}, 'finished', 'test', ${`${o.label}@drill.local`}, ${JSON.stringify(DRILL_SETTINGS)}::jsonb, ${secret})
        RETURNING id`,
  );
  // Dead letters of the organisation (seeded as the outbox and the job runner leave them).
  const dead = { event: { listener: 'bot.turn', id: '999999999' }, job: '999999999' };
  if (o.orgLevel) {
    const [event] = await queryRows<{ id: string }>(
      server.db.db,
      sql`INSERT INTO outbox_deliveries (listener, event_id, org_id, name, version, payload, created_at, status,
            attempts, last_error, dead_at)
          VALUES ('bot.turn', ${900_000_000 + Math.floor(Math.random() * 1000)}, ${o.orgId}, 'message.created', 1,
            ${JSON.stringify({ orgId: o.orgId, note: secret })}::jsonb, now(), 'dead', 5, ${`${secret} 失败`}, now())
          RETURNING event_id::text AS id`,
    );
    const [job] = await queryRows<{ id: string }>(
      server.db.db,
      sql`INSERT INTO jobs (kind, version, org_id, payload, status, attempts, last_error, dead_at)
          VALUES ('routing.no_reply', 1, ${o.orgId}, ${JSON.stringify({ note: secret })}::jsonb, 'dead', 5,
            ${`${secret} 任务失败`}, now())
          RETURNING id::text AS id`,
    );
    dead.event.id = event!.id;
    dead.job = job!.id;
  }
  const orgLevel = o.orgLevel ?? { user: o.agentId, token: '', teamReply: '', personalReply: '' };
  return {
    label: o.label,
    orgId: o.orgId,
    storeId: o.storeId,
    groupId: o.groupId,
    conversation: conv.body.id,
    customer: v.customerId,
    attachment: att.body.id,
    faq: faqId,
    article: article.body.id,
    rule: rule.body.id,
    leaveMessage: leave!.id,
    unanswered: unanswered!.id,
    history: history.body.id,
    plan: plan.body.id,
    user: orgLevel.user,
    token: orgLevel.token || randomUUID(),
    teamReply: orgLevel.teamReply || randomUUID(),
    personalReply: orgLevel.personalReply || randomUUID(),
    drillRun: drill!.id,
    deadEvent: dead.event,
    deadJob: dead.job,
    secrets: [
      secret,
      conv.body.id,
      v.customerId,
      att.body.id,
      article.body.id,
      rule.body.id,
      leave!.id,
      unanswered!.id,
      history.body.id,
      plan.body.id,
      ...(o.orgLevel ? [drill!.id, o.orgLevel.token, o.orgLevel.teamReply, o.orgLevel.personalReply] : []),
    ],
  };
}

const DRILL_SETTINGS = {
  name: '大促演练',
  profile: 'double11',
  speed: 60,
  from: '00:00',
  to: '00:30',
  dailyVolume: 3000,
  agents: 8,
  concurrency: 5,
};
const RANK: Record<Exclude<Role, 'customer'>, number> = { agent: 0, supervisor: 1, admin: 2 };

describe('every OpenAPI route has an isolation case, for other organisations and other stores', () => {
  /** Store Y of org A with its own supervisor and agent, in the same skill group as store X. */
  const y = { storeId: '', supervisorId: '', agentId: '', supervisorToken: '', agentToken: '' };
  let orgB: Foreign;
  let storeY: Foreign;
  let visitorX = '';

  beforeAll(async () => {
    const repo = server.services.accounts.repo;
    const store = await repo.createStore({
      orgId: a.org.id,
      name: `Y 店 ${randomUUID().slice(0, 6)}`,
      platform: 'jd',
      defaultGroupId: a.groups.presale.id,
      identitySecret: `secret-y-${randomUUID()}`,
    });
    y.storeId = store.id;
    const passwordHash = await hashPassword(a.password);
    const sup = await repo.createUser(
      {
        orgId: a.org.id,
        email: `sup-y-${store.id}@test.local`,
        name: 'Y 主管',
        role: 'supervisor',
        passwordHash,
      },
      [store.id],
      [a.groups.presale.id],
    );
    const agent = await repo.createUser(
      {
        orgId: a.org.id,
        email: `agent-y-${store.id}@test.local`,
        name: 'Y 客服',
        role: 'agent',
        passwordHash,
      },
      [store.id],
      [a.groups.presale.id],
    );
    y.supervisorId = sup.id;
    y.agentId = agent.id;
    [y.supervisorToken, y.agentToken] = await Promise.all([
      login(server, sup.email),
      login(server, agent.email),
    ]);
    await api(server, 'PUT', '/api/me/status', { token: y.agentToken, body: { status: 'online' } });
    settingsTemplate = (
      await api<TPromotionDayTemplate>(
        server,
        'GET',
        '/api/workforce/templates/promotion-day?date=2025-11-11',
        {
          token: tok.aAdmin,
        },
      )
    ).body.settings;
    orgB = await seedForeign({
      label: 'orgb',
      orgId: b.org.id,
      storeId: b.store.id,
      groupId: b.groups.presale.id,
      adminToken: tok.bAdmin,
      agentToken: tok.bAgent,
      agentId: b.agents[0]!.id,
      orgLevel: {
        user: b.agents[0]!.id,
        token: bIds.token,
        teamReply: bIds.teamReply,
        personalReply: bIds.personalReply,
      },
    });
    orgB.secrets.push(...bSecrets());
    storeY = await seedForeign({
      label: 'storey',
      orgId: a.org.id,
      storeId: y.storeId,
      groupId: a.groups.presale.id,
      adminToken: tok.aAdmin,
      agentToken: y.agentToken,
      agentId: y.agentId,
      orgLevel: null,
    });
    storeY.secrets.push(
      `agent-y-${store.id}@test.local`,
      `sup-y-${store.id}@test.local`,
      y.agentId,
      y.supervisorId,
    );
    visitorX = (await startVisitor(server, a.store.id)).visitorToken;
  });

  it('the table has exactly the routes of the OpenAPI document', async () => {
    const spec = await api<{ paths: Record<string, Record<string, unknown>> }>(server, 'GET', '/docs/json');
    const documented = Object.entries(spec.body.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(Object.keys(ROUTES).sort()).toEqual(documented);
  });

  async function check(
    dimension: 'org' | 'store',
    callers: { name: string; role: Role; token: string }[],
    foreign: () => Foreign,
  ) {
    const failures: string[] = [];
    for (const [route, c] of Object.entries(ROUTES)) {
      if (c.kind === 'none' || (dimension === 'store' && c.store)) continue;
      const method = route.split(' ')[0]!;
      const reqs = [c.req(foreign())].flat();
      for (const caller of callers) {
        if ((c.who === 'customer') !== (caller.role === 'customer')) continue;
        for (const r of reqs) {
          const who = r.who ?? c.who;
          const served = who === 'customer' || RANK[caller.role as 'agent'] >= RANK[who as 'agent'];
          const res = await api<unknown>(server, r.method ?? method, r.path, {
            token: caller.token,
            ...(r.body !== undefined ? { body: r.body } : {}),
            ...(r.raw ? { raw: r.raw } : {}),
            ...(r.headers ? { headers: r.headers } : {}),
          });
          const expected = !served
            ? [403, 404]
            : c.kind === 'row'
              ? [404]
              : c.kind === 'list'
                ? [200]
                : [400, 404];
          const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
          const leaked = foreign().secrets.filter((s) => s && text.includes(s));
          if (!expected.includes(res.status) || leaked.length)
            failures.push(
              `${caller.name} ${r.method ?? method} ${r.path} → ${res.status}${leaked.length ? ` leaked ${leaked.join(',')}` : ''} ${text.slice(0, 160)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
  }

  it("org A's admin, supervisor, agent and visitor reach nothing of org B", async () => {
    await check(
      'org',
      [
        { name: 'aAdmin', role: 'admin', token: tok.aAdmin },
        { name: 'aSupervisor', role: 'supervisor', token: tok.aSupervisor },
        { name: 'aAgent', role: 'agent', token: tok.aAgent },
        { name: 'aVisitor', role: 'customer', token: visitorX },
      ],
      () => orgB,
    );
  });

  it("store X's supervisor, agent and visitor reach nothing of store Y of the same organisation", async () => {
    await check(
      'store',
      [
        { name: 'xSupervisor', role: 'supervisor', token: tok.aSupervisor },
        { name: 'xAgent', role: 'agent', token: tok.aAgent },
        { name: 'xVisitor', role: 'customer', token: visitorX },
      ],
      () => storeY,
    );
  });

  it("store Y's own supervisor does see store Y's rows (the cases above are not just empty answers)", async () => {
    const t = { token: y.supervisorToken };
    for (const path of [
      `/api/conversations/${storeY.conversation}`,
      `/api/faqs/${storeY.faq}`,
      `/api/workforce/plans/${storeY.plan}`,
      `/api/customers/${storeY.customer}`,
      `/api/stores/${storeY.storeId}/bot-settings`,
    ])
      expect({ path, status: (await api(server, 'GET', path, t)).status }).toEqual({ path, status: 200 });
    const lists = await Promise.all(
      [
        '/api/faqs',
        '/api/articles',
        '/api/routing/rules',
        '/api/bot/unanswered',
        '/api/routing/leave-messages',
      ].map((path) => api(server, 'GET', path, t).then((r) => JSON.stringify(r.body))),
    );
    expect(lists[0]).toContain(storeY.faq);
    expect(lists[1]).toContain(storeY.article);
    expect(lists[2]).toContain(storeY.rule);
    expect(lists[3]).toContain(storeY.unanswered);
    expect(lists[4]).toContain(storeY.leaveMessage);
  });

  it("store Y's rows are untouched after the attempts", async () => {
    const conv = await api<TConversation>(server, 'GET', `/api/conversations/${storeY.conversation}`, {
      token: tok.aAdmin,
    });
    expect(conv.body.status).toBe('assigned');
    expect(conv.body.assigneeId).toBe(y.agentId);
    const faq = await api<{ answer: string; storeId: string }>(server, 'GET', `/api/faqs/${storeY.faq}`, {
      token: tok.aAdmin,
    });
    expect(faq.body.storeId).toBe(storeY.storeId);
    expect(faq.body.answer).not.toBe('被改写');
    const rules = await api<{ id: string; name: string }[]>(server, 'GET', '/api/routing/rules', {
      token: tok.aAdmin,
    });
    expect(rules.body.find((r) => r.id === storeY.rule)?.name).not.toBe('被改名');
  });

  it("org B's admin sees its own dead letters, still dead after org A's replay attempts", async () => {
    const res = await api<{ items: { kind: string; id: string; lastError: string }[] }>(
      server,
      'GET',
      '/api/dead-letters',
      { token: tok.bAdmin },
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((d) => `${d.kind}:${d.id}`).sort()).toEqual(
      [`event:${orgB.deadEvent.id}`, `job:${orgB.deadJob}`].sort(),
    );
    const backlog = await api<{ listeners: { listener: string; dead: number }[] }>(
      server,
      'GET',
      '/api/dead-letters/backlog',
      { token: tok.bAdmin },
    );
    expect(backlog.body.listeners.find((l) => l.listener === 'bot.turn')?.dead).toBe(1);
  });

  it("a store-X supervisor's FAQ import cannot overwrite or move a store-Y entry: the line and field are named", async () => {
    const file = `id,category,question,answer,similar_questions\nx-ok,c,问题,答案,\n${storeY.faq},c,改到 X 店,被改写,\n`;
    for (const query of [`&storeId=${a.store.id}`, '']) {
      const res = await api<TErrorBody>(
        server,
        'POST',
        `/api/faqs/import?format=csv&filename=faq.csv${query}`,
        {
          token: tok.aSupervisor,
          ...csv(file),
        },
      );
      expect(res.status).toBe(query ? 400 : 403);
      if (query) {
        expect(res.body.field).toBe('id');
        expect(res.body.message).toMatch(/^faq\.csv:3: field "id"/);
      }
    }
    const faq = await api<{ answer: string; storeId: string }>(server, 'GET', `/api/faqs/${storeY.faq}`, {
      token: tok.aAdmin,
    });
    expect(faq.body).toMatchObject({ storeId: storeY.storeId });
    expect(faq.body.answer).not.toBe('被改写');
    // All or nothing: the valid line of the refused file was not written either.
    expect((await api(server, 'GET', '/api/faqs/x-ok', { token: tok.aAdmin })).status).toBe(404);
  });

  it("a store-X supervisor's org-wide plan and volume count and roster store X only", async () => {
    const xs = { token: tok.aSupervisor };
    const history = await api<{ id: string }>(
      server,
      'POST',
      '/api/workforce/histories/import?format=csv&filename=x.csv',
      { ...xs, ...csv(historyCsv(14)) },
    );
    expect(history.status).toBe(201);
    const plan = await api<TPlanDetail>(server, 'POST', '/api/workforce/plans', {
      ...xs,
      body: { name: '全店计划', groupId: a.groups.presale.id, settings: planSettings(history.body.id) },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const text = JSON.stringify(plan.body);
    expect(text).toContain(a.agents[0]!.id);
    expect(text).not.toContain(y.agentId);
    // Volume from facts: store Y's conversations count for the admin, not for store X's supervisor
    // (placed three hours back: the series counts whole intervals only).
    for (const [storeId, n] of [
      [y.storeId, 3],
      [a.store.id, 2],
    ] as const)
      for (let i = 0; i < n; i++)
        await server.db.db.execute(
          sql`INSERT INTO facts (org_id, kind, store_id, at)
              VALUES (${a.org.id}, 'conversation.created', ${storeId}, now() - interval '3 hours')`,
        );
    const volume = async (token: string) =>
      (
        await api<{ points: { count: number }[] }>(
          server,
          'GET',
          '/api/workforce/volume?intervalMinutes=60&days=1',
          { token },
        )
      ).body.points.reduce((n, p) => n + p.count, 0);
    const [mine, everything, ys] = await Promise.all([
      volume(tok.aSupervisor),
      volume(tok.aAdmin),
      volume(y.supervisorToken),
    ]);
    expect(ys).toBeGreaterThanOrEqual(3);
    expect(mine).toBeGreaterThanOrEqual(2);
    expect(mine + ys).toBe(everything);
  });

  it("store X's supervisor and agent sockets get nothing of store Y's traffic, store Y's supervisor gets it", async () => {
    const xSup = agentClient(server, tok.aSupervisor);
    const xAgent = agentClient(server, tok.aAgent);
    const ySup = agentClient(server, y.supervisorToken);
    const yAgent = agentClient(server, y.agentToken);
    try {
      const got = new Map<string, string[]>();
      const note = (who: string, what: string) => got.set(who, [...(got.get(who) ?? []), what]);
      for (const [who, c] of [
        ['xSup', xSup],
        ['xAgent', xAgent],
        ['ySup', ySup],
      ] as const) {
        c.socket.on('message:new', (m) => note(who, `message:${m.conversationId}`));
        c.socket.on('message:batch', (ms) => {
          for (const m of ms) note(who, `message:${m.conversationId}`);
        });
        c.socket.on('conversation:updated', (conv) => note(who, `conversation:${conv.id}`));
        c.socket.on('typing', (e) => note(who, `typing:${e.conversationId}`));
        c.socket.on('routing:transfer', (n) => note(who, `transfer:${n.conversationId}`));
        c.socket.on('agent:status', (e) => note(who, `status:${e.userId}`));
        c.socket.on('routing:wall', (w) => note(who, `wall:${JSON.stringify(w)}`));
      }
      await waitFor(() => xSup.connected && xAgent.connected && ySup.connected && yAgent.connected);

      // Store Y traffic: a customer message, typing, a transfer to the shared group, a status change.
      const v = await startVisitor(server, y.storeId);
      const conv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: v.visitorToken,
        body: {},
      });
      expect(conv.body.assigneeId).toBe(y.agentId);
      await api(server, 'POST', `/api/conversations/${conv.body.id}/messages`, {
        token: v.visitorToken,
        body: { clientId: 'y-1', type: 'text', body: 'Y 店的消息' },
      });
      const transfer = await api(server, 'POST', `/api/conversations/${conv.body.id}/transfer`, {
        token: y.agentToken,
        body: { toGroupId: a.groups.presale.id, note: '转组' },
      });
      expect(transfer.status).toBe(200);
      await api(server, 'PUT', '/api/me/status', { token: y.agentToken, body: { status: 'paused' } });
      await api(server, 'PUT', '/api/me/status', { token: y.agentToken, body: { status: 'online' } });

      // Store Y's supervisor hears all of it…
      await waitFor(() => {
        const seen = got.get('ySup') ?? [];
        return (
          seen.includes(`message:${conv.body.id}`) &&
          seen.includes(`conversation:${conv.body.id}`) &&
          seen.includes(`transfer:${conv.body.id}`) &&
          seen.includes(`status:${y.agentId}`)
        );
      });
      // …then a store X marker: once X's supervisor and agent have it, anything of Y would have arrived.
      const vx = await startVisitor(server, a.store.id);
      const xConv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
        token: vx.visitorToken,
        body: {},
      });
      await api(server, 'POST', `/api/conversations/${xConv.body.id}/messages`, {
        token: vx.visitorToken,
        body: { clientId: 'x-1', type: 'text', body: 'X 店的标记' },
      });
      await waitFor(
        () =>
          got.get('xSup')?.includes(`message:${xConv.body.id}`) &&
          got.get('xAgent')?.includes(`conversation:${xConv.body.id}`),
      );
      // The wall each supervisor is pushed covers their stores: Y's agent is on Y's wall only.
      await waitFor(() => got.get('ySup')?.some((e) => e.startsWith('wall:') && e.includes(y.agentId)));
      await waitFor(() => got.get('xSup')?.some((e) => e.startsWith('wall:')));
      for (const who of ['xSup', 'xAgent']) {
        const leaked = (got.get(who) ?? []).filter(
          (e) => e.includes(conv.body.id) || e.includes(y.agentId) || e.includes(storeY.conversation),
        );
        expect({ who, leaked }).toEqual({ who, leaked: [] });
      }
    } finally {
      for (const c of [xSup, xAgent, ySup, yAgent]) c.close();
    }
  });
});
