import { randomUUID } from 'node:crypto';
import type {
  TConversation,
  TCustomerProfile,
  TErrorBody,
  THistoryPage,
  TMessage,
  TWidgetSession,
} from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentClient,
  api,
  createTenant,
  customerClient,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../../test/harness.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452', 'hex'),
  Buffer.alloc(64, 1),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);

let server: TestServer;
let t: Tenant;
let agentToken: string;
let supervisorToken: string;

beforeAll(async () => {
  server = await startTestServer();
  // One agent with room for many chats: every conversation of this file is assigned to them.
  t = await createTenant(server, { agents: 1, cap: 50 });
  [agentToken, supervisorToken] = await Promise.all([
    login(server, t.agents[0]!.email),
    login(server, t.supervisor.email),
  ]);
  await api(server, 'PUT', '/api/me/status', { token: agentToken, body: { status: 'online' } });
});
afterAll(async () => {
  await server?.stop();
});

/** A new visitor with an open, assigned conversation. */
async function newChat() {
  const visitor = await startVisitor(server, t.store.id);
  const conv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
    token: visitor.visitorToken,
    body: {},
  });
  expect(conv.status).toBe(200);
  return { visitor, conv: conv.body, vt: visitor.visitorToken };
}

const say = (token: string, conversationId: string, body: string, clientId: string = randomUUID()) =>
  api<TMessage>(server, 'POST', `/api/conversations/${conversationId}/messages`, {
    token,
    body: { clientId, type: 'text', body },
  });

const history = (token: string, conversationId: string, query = '') =>
  api<THistoryPage>(server, 'GET', `/api/conversations/${conversationId}/messages${query}`, { token });

const upload = (token: string, conversationId: string, mime: string, bytes: Buffer) =>
  api<{ id: string; mime: string; size: number } & Partial<TErrorBody>>(
    server,
    'POST',
    `/api/conversations/${conversationId}/attachments`,
    { token, headers: { 'content-type': mime }, raw: bytes },
  );

describe('history over REST', () => {
  it('pages backwards with beforeSeq and forwards with afterSeq, with hasMore and limit', async () => {
    const { conv, vt } = await newChat();
    expect(conv.status).toBe('assigned');
    for (let i = 1; i <= 12; i++) expect((await say(vt, conv.id, `消息 ${i}`)).status).toBe(200);
    const all = await history(vt, conv.id, '?limit=200');
    expect(all.body.hasMore).toBe(false);
    const seqs = all.body.messages.map((m) => m.seq);
    // System greeting from the assignment + 12 customer messages, gapless and in order.
    expect(seqs).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(all.body.messages[0]!.senderType).toBe('system');

    const latest = await history(vt, conv.id, '?limit=5');
    expect(latest.body.messages.map((m) => m.seq)).toEqual([9, 10, 11, 12, 13]);
    expect(latest.body.hasMore).toBe(true);
    const older = await history(vt, conv.id, '?limit=5&beforeSeq=9');
    expect(older.body.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(older.body.hasMore).toBe(true);
    const oldest = await history(vt, conv.id, '?limit=5&beforeSeq=4');
    expect(oldest.body.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(oldest.body.hasMore).toBe(false);

    const after = await history(agentToken, conv.id, '?afterSeq=3&limit=4');
    expect(after.body.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    expect(after.body.hasMore).toBe(true);
    const tail = await history(agentToken, conv.id, '?afterSeq=10&limit=4');
    expect(tail.body.messages.map((m) => m.seq)).toEqual([11, 12, 13]);
    expect(tail.body.hasMore).toBe(false);
    const window = await history(agentToken, conv.id, '?afterSeq=3&beforeSeq=7');
    expect(window.body.messages.map((m) => m.seq)).toEqual([4, 5, 6]);
    expect(window.body.hasMore).toBe(false);
    expect((await history(agentToken, conv.id, '?afterSeq=13')).body.messages).toEqual([]);

    for (const bad of ['?limit=0', '?limit=201', '?beforeSeq=0', '?afterSeq=-1', '?limit=abc']) {
      const res = await api<TErrorBody>(server, 'GET', `/api/conversations/${conv.id}/messages${bad}`, {
        token: vt,
      });
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(res.body.code).toBe('invalid_input');
    }
  });
});

describe('read state and typing', () => {
  it('agent read reaches the customer and lowers the unread count; customer read reaches the agent', async () => {
    const agent = agentClient(server, agentToken);
    const { conv, vt } = await newChat();
    const customer = customerClient(server, vt);
    try {
      const customerReads: { readerType: string; seq: number }[] = [];
      const agentReads: { readerType: string; seq: number }[] = [];
      customer.on('read', (e) => customerReads.push(e));
      agent.on('read', (e) => agentReads.push(e));
      await waitFor(() => customer.connected && agent.connected);

      await say(vt, conv.id, '在吗？');
      const m2 = await say(vt, conv.id, '想问下尺码');
      const unreadOf = async () =>
        (
          await api<TConversation[]>(server, 'GET', '/api/conversations?scope=mine', { token: agentToken })
        ).body.find((c) => c.id === conv.id)?.unread;
      expect(await unreadOf()).toBe(2);

      const r = await api(server, 'POST', `/api/conversations/${conv.id}/read`, {
        token: agentToken,
        body: { seq: m2.body.seq },
      });
      expect(r.status).toBe(200);
      expect(await unreadOf()).toBe(0);
      const seen = await waitFor(() => customerReads.find((e) => e.readerType === 'agent'));
      expect(seen.seq).toBe(m2.body.seq);

      // Read state only moves forward and never past the last message.
      await api(server, 'POST', `/api/conversations/${conv.id}/read`, {
        token: agentToken,
        body: { seq: 1 },
      });
      await say(vt, conv.id, '还有一个问题');
      expect(await unreadOf()).toBe(1);
      await api(server, 'POST', `/api/conversations/${conv.id}/read`, {
        token: agentToken,
        body: { seq: 10_000 },
      });
      expect(await unreadOf()).toBe(0);
      await say(vt, conv.id, '再问一个');
      expect(await unreadOf()).toBe(1);

      customer.markRead(conv.id, 2);
      const byCustomer = await waitFor(() => agentReads.find((e) => e.readerType === 'customer'));
      expect(byCustomer.seq).toBe(2);
    } finally {
      customer.close();
      agent.close();
    }
  });

  it('typing indicators go both ways', async () => {
    const agent = agentClient(server, agentToken);
    const { conv, vt } = await newChat();
    const customer = customerClient(server, vt);
    try {
      const atAgent: { conversationId: string; senderType: string; isTyping: boolean }[] = [];
      const atCustomer: { conversationId: string; senderType: string; isTyping: boolean }[] = [];
      agent.on('typing', (e) => atAgent.push(e));
      customer.on('typing', (e) => atCustomer.push(e));
      await waitFor(() => customer.connected && agent.connected);

      customer.typing(conv.id, true);
      await waitFor(() => atAgent.find((e) => e.conversationId === conv.id && e.isTyping));
      expect(atAgent[0]).toEqual({ conversationId: conv.id, senderType: 'customer', isTyping: true });
      customer.typing(conv.id, false);
      await waitFor(() => atAgent.find((e) => !e.isTyping));

      agent.typing(conv.id, true);
      const e = await waitFor(() => atCustomer.find((x) => x.isTyping));
      expect(e).toEqual({ conversationId: conv.id, senderType: 'agent', isTyping: true });
      // The customer never hears their own typing echoed back.
      expect(atCustomer.some((x) => x.senderType === 'customer')).toBe(false);
    } finally {
      customer.close();
      agent.close();
    }
  });
});

describe('images', () => {
  it('uploads png and jpeg, sends an image message that refers to the attachment, and serves it safely', async () => {
    const { conv, vt } = await newChat();
    const png = await upload(vt, conv.id, 'image/png', PNG);
    expect(png.status).toBe(201);
    expect(png.body).toEqual({ id: expect.any(String), mime: 'image/png', size: PNG.length });
    const jpeg = await upload(agentToken, conv.id, 'image/jpeg', JPEG);
    expect(jpeg.status).toBe(201);
    expect(jpeg.body.mime).toBe('image/jpeg');

    const msg = await api<TMessage>(server, 'POST', `/api/conversations/${conv.id}/messages`, {
      token: vt,
      body: { clientId: randomUUID(), type: 'image', attachmentId: png.body.id },
    });
    expect(msg.status).toBe(200);
    expect(msg.body.type).toBe('image');
    expect(msg.body.attachmentId).toBe(png.body.id);
    const page = await history(agentToken, conv.id);
    expect(page.body.messages.find((m) => m.id === msg.body.id)?.attachmentId).toBe(png.body.id);
    const list = await api<TConversation[]>(server, 'GET', '/api/conversations?scope=mine', {
      token: agentToken,
    });
    expect(list.body.find((c) => c.id === conv.id)?.lastMessagePreview).toBe('[image]');

    for (const token of [vt, agentToken, supervisorToken]) {
      const res = await fetch(`${server.url}/api/attachments/${png.body.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    }
    // Another visitor, and nobody at all, cannot fetch it.
    const other = await newChat();
    expect((await api(server, 'GET', `/api/attachments/${png.body.id}`, { token: other.vt })).status).toBe(
      404,
    );
    expect((await api(server, 'GET', `/api/attachments/${png.body.id}`)).status).toBe(401);
    expect((await api(server, 'GET', `/api/attachments/${randomUUID()}`, { token: agentToken })).status).toBe(
      404,
    );
  });

  it('refuses wrong types, empty, oversize and mislabelled uploads', async () => {
    const { conv, vt } = await newChat();
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const wrongType = await upload(vt, conv.id, 'text/html', html);
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.code).toBe('unsupported_image_type');
    expect((await upload(vt, conv.id, 'application/pdf', Buffer.from('%PDF-1.4'))).status).toBe(415);
    expect((await upload(vt, conv.id, 'text/plain', Buffer.from('hello'))).status).toBe(415);

    const empty = await upload(vt, conv.id, 'image/png', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('body');

    const justOver = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)]);
    const big = await upload(vt, conv.id, 'image/png', justOver);
    expect(big.status).toBe(413);
    const huge = await upload(vt, conv.id, 'image/png', Buffer.concat([PNG, Buffer.alloc(7 * 1024 * 1024)]));
    expect(huge.status).toBe(413);

    const mislabelled = await upload(vt, conv.id, 'image/png', html);
    expect(mislabelled.status).toBe(400);
    expect(mislabelled.body.code).toBe('not_an_image');
    const jpegAsPng = await upload(vt, conv.id, 'image/png', JPEG);
    expect(jpegAsPng.status).toBe(400);
  });

  it('an attachment of another conversation cannot be sent, and uploads need access to the conversation', async () => {
    const a = await newChat();
    const b = await newChat();
    const att = await upload(a.vt, a.conv.id, 'image/png', PNG);
    expect(att.status).toBe(201);
    const res = await api<TErrorBody>(server, 'POST', `/api/conversations/${b.conv.id}/messages`, {
      token: b.vt,
      body: { clientId: randomUUID(), type: 'image', attachmentId: att.body.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('attachmentId');
    const unknown = await api<TErrorBody>(server, 'POST', `/api/conversations/${b.conv.id}/messages`, {
      token: b.vt,
      body: { clientId: randomUUID(), type: 'image', attachmentId: randomUUID() },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('attachmentId');
    // Visitor b cannot upload into a's conversation.
    expect((await upload(b.vt, a.conv.id, 'image/png', PNG)).status).toBe(404);
  });
});

describe('idempotent sends', () => {
  it('the same clientId twice over REST stores one message and returns the same one', async () => {
    const { conv, vt } = await newChat();
    const clientId = `retry-${randomUUID()}`;
    const first = await say(vt, conv.id, '重复发送测试', clientId);
    const second = await say(vt, conv.id, '重复发送测试', clientId);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.seq).toBe(first.body.seq);
    const page = await history(agentToken, conv.id);
    expect(page.body.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    // A deduplicated resend does not burn a sequence number: the next message follows directly.
    const next = await say(vt, conv.id, '下一条');
    expect(next.body.seq).toBe(first.body.seq + 1);
    const c = await api<TConversation>(server, 'GET', `/api/conversations/${conv.id}`, { token: vt });
    expect(c.body.lastSeq).toBe(next.body.seq);
    // The same client id from the agent side is a different message (ids are per sender).
    const agentMsg = await say(agentToken, conv.id, '客服回复', clientId);
    expect(agentMsg.status).toBe(200);
    expect(agentMsg.body.id).not.toBe(first.body.id);
    expect(agentMsg.body.senderName).toBe(t.agents[0]!.name);
    const again = await say(agentToken, conv.id, '客服回复', clientId);
    expect(again.body.id).toBe(agentMsg.body.id);
    expect(again.body.senderName).toBe(t.agents[0]!.name);
  });

  it('the same clientId over the socket and then REST stores one message', async () => {
    const { conv, vt } = await newChat();
    const customer = customerClient(server, vt);
    try {
      await waitFor(() => customer.connected);
      const clientId = `sock-${randomUUID()}`;
      const a = await customer.send({ conversationId: conv.id, type: 'text', body: '你好', clientId });
      const b = await customer.send({ conversationId: conv.id, type: 'text', body: '你好', clientId });
      const c = await say(vt, conv.id, '你好', clientId);
      expect(b.id).toBe(a.id);
      expect(c.body.id).toBe(a.id);
      const page = await history(vt, conv.id);
      expect(page.body.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    } finally {
      customer.close();
    }
  });
});

describe('resolve and reopen', () => {
  it('resolve posts a system message; the customer writing again puts the chat back to an agent', async () => {
    const { conv, vt } = await newChat();
    await say(vt, conv.id, '谢谢，没问题了');
    // Only the assignee (or a supervisor) may resolve; customers may not.
    expect((await api(server, 'POST', `/api/conversations/${conv.id}/resolve`, { token: vt })).status).toBe(
      403,
    );
    const resolved = await api<TConversation>(server, 'POST', `/api/conversations/${conv.id}/resolve`, {
      token: agentToken,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const page = await history(vt, conv.id);
    const last = page.body.messages.at(-1)!;
    expect(last.senderType).toBe('system');
    expect(last.type).toBe('system');
    // Resolving twice is a state error, not a crash.
    const twice = await api<TErrorBody>(server, 'POST', `/api/conversations/${conv.id}/resolve`, {
      token: agentToken,
    });
    expect(twice.status).toBe(409);

    const back = await say(vt, conv.id, '不好意思，还有个问题');
    expect(back.status).toBe(200);
    const reopened = await waitFor(async () => {
      const c = await api<TConversation>(server, 'GET', `/api/conversations/${conv.id}`, { token: vt });
      return c.body.status === 'assigned' ? c.body : undefined;
    });
    expect(reopened.assigneeId).toBe(t.agents[0]!.id);
    const mine = await api<TConversation[]>(server, 'GET', '/api/conversations?scope=mine', {
      token: agentToken,
    });
    expect(mine.body.some((c) => c.id === conv.id)).toBe(true);
  });
});

describe('buyer identity and customer panel', () => {
  it('a signed buyer id is the same customer across sessions and devices', async () => {
    const buyer = {
      buyerId: `tb_${randomUUID().slice(0, 8)}`,
      secret: `secret-${t.store.name.split(' ')[1]}`,
    };
    const phone = await startVisitor(server, t.store.id, buyer);
    const laptop = await startVisitor(server, t.store.id, buyer);
    expect(laptop.customerId).toBe(phone.customerId);
    // Each session mints its own token (with its own expiry); both name the same customer and work.

    const conv = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
      token: phone.visitorToken,
      body: {},
    });
    await say(phone.visitorToken, conv.body.id, '手机上发的');
    const session = await api<TWidgetSession>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, visitorToken: laptop.visitorToken },
    });
    expect(session.body.customerId).toBe(phone.customerId);
    expect(session.body.conversation?.id).toBe(conv.body.id);
    const seenOnLaptop = await history(laptop.visitorToken, conv.body.id);
    expect(seenOnLaptop.body.messages.some((m) => m.body === '手机上发的')).toBe(true);
    // An anonymous visitor is a different customer.
    const anon = await startVisitor(server, t.store.id);
    expect(anon.customerId).not.toBe(phone.customerId);
  });

  it('a bad buyer signature is refused with 401 naming buyer.signature', async () => {
    const res = await api<TErrorBody>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, buyer: { buyerId: 'tb_mallory', signature: 'ab'.repeat(32) } },
    });
    expect(res.status).toBe(401);
    expect(res.body.field).toBe('buyer.signature');
    expect(res.body.message).toContain('buyer.signature');
    const malformed = await api<TErrorBody>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, buyer: { buyerId: 'tb_mallory', signature: 'nothex' } },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.field).toBe('buyer.signature');
    const noStore = await api(server, 'POST', '/api/widget/session', { body: { storeId: randomUUID() } });
    expect(noStore.status).toBe(404);
  });

  it('customer panel lists past conversations; variables fill reply scripts', async () => {
    const buyer = {
      buyerId: `tb_${randomUUID().slice(0, 8)}`,
      secret: `secret-${t.store.name.split(' ')[1]}`,
    };
    const v = await startVisitor(server, t.store.id, buyer);
    const first = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
      token: v.visitorToken,
      body: {},
    });
    await say(v.visitorToken, first.body.id, '第一次咨询');
    await api(server, 'POST', `/api/conversations/${first.body.id}/resolve`, { token: agentToken });
    const second = await api<TConversation>(server, 'POST', '/api/widget/conversations', {
      token: v.visitorToken,
      body: {},
    });
    expect(second.body.id).not.toBe(first.body.id);
    await say(v.visitorToken, second.body.id, '第二次咨询');

    const profile = await api<TCustomerProfile>(server, 'GET', `/api/customers/${v.customerId}`, {
      token: agentToken,
    });
    expect(profile.status).toBe(200);
    expect(profile.body.buyerId).toBe(buyer.buyerId);
    expect(profile.body.storeId).toBe(t.store.id);
    expect(profile.body.conversations.map((c) => c.id)).toEqual([second.body.id, first.body.id]);
    expect(profile.body.conversations[1]!.status).toBe('resolved');
    expect(profile.body.conversations[0]!.lastMessagePreview).toBe('第二次咨询');
    // Visitors cannot open the agent panel, not even their own.
    expect(
      (await api(server, 'GET', `/api/customers/${v.customerId}`, { token: v.visitorToken })).status,
    ).toBe(403);
    expect((await api(server, 'GET', `/api/customers/${randomUUID()}`, { token: agentToken })).status).toBe(
      404,
    );

    const vars = await api<Record<string, string>>(
      server,
      'GET',
      `/api/conversations/${second.body.id}/variables`,
      {
        token: agentToken,
      },
    );
    expect(vars.status).toBe(200);
    expect(vars.body).toEqual({
      buyer_name: buyer.buyerId,
      agent_name: t.agents[0]!.name,
      store_name: t.store.name,
    });
    expect(
      (await api(server, 'GET', `/api/conversations/${second.body.id}/variables`, { token: v.visitorToken }))
        .status,
    ).toBe(403);
  });
});

describe('agent writes', () => {
  it('only the assigned agent or a supervisor may write in a conversation', async () => {
    const password = 'second-agent-pw';
    const admin = await login(server, t.admin.email);
    const created = await api<{ id: string }>(server, 'POST', '/api/users', {
      token: admin,
      body: {
        email: 'bystander@test.local',
        name: '旁观客服',
        role: 'agent',
        password,
        storeIds: [t.store.id],
        groupIds: [t.groups.aftersale.id],
      },
    });
    expect(created.status).toBe(201);
    const bystander = await login(server, 'bystander@test.local', password);
    const { conv } = await newChat();
    const denied = await say(bystander, conv.id, '我来插一句');
    expect(denied.status).toBe(403);
    // Reading is allowed to colleagues of the store (e.g. to take over), writing is not.
    expect((await history(bystander, conv.id)).status).toBe(200);
    expect((await say(supervisorToken, conv.id, '主管介入')).status).toBe(200);
    expect(
      (await api(server, 'POST', `/api/conversations/${conv.id}/resolve`, { token: bystander })).status,
    ).toBe(403);
  });
});
