import { randomUUID } from 'node:crypto';
import type { TAck, TConversation, TErrorBody, TMessage, TQuickReply } from '@peakdesk/contracts';
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
  server = await startTestServer();
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
