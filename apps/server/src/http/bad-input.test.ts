import { randomUUID } from 'node:crypto';
import type { TAck, TConversation, TErrorBody, THistoryPage, TMessage } from '@peakdesk/contracts';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  customerClient,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
  waitFor,
} from '../../test/harness.ts';

let server: TestServer;
let t: Tenant;
let agentToken: string;
let vt: string;
let conv: TConversation;

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  agentToken = await login(server, t.agents[0]!.email);
  await api(server, 'PUT', '/api/me/status', { token: agentToken, body: { status: 'online' } });
  const v = await startVisitor(server, t.store.id);
  vt = v.visitorToken;
  conv = (await api<TConversation>(server, 'POST', '/api/widget/conversations', { token: vt, body: {} }))
    .body;
});
afterAll(async () => {
  await server?.stop();
});

const send = (body: unknown, opts: { token?: string; id?: string } = {}) =>
  api<TErrorBody & Partial<TMessage>>(server, 'POST', `/api/conversations/${opts.id ?? conv.id}/messages`, {
    token: opts.token ?? vt,
    body,
  });

const expectInvalid = (res: { status: number; body: TErrorBody }, field: string) => {
  expect({ status: res.status, field: res.body.field }).toEqual({ status: 400, field });
  expect(res.body.code).toBe('invalid_input');
  expect(res.body.message).toContain(field);
};

describe('bad input over REST', () => {
  it('rejects text over 2000 characters naming body, and accepts exactly 2000', async () => {
    expectInvalid(await send({ clientId: 'long', type: 'text', body: '长'.repeat(2001) }), 'body');
    const ok = await send({ clientId: 'exact', type: 'text', body: '长'.repeat(2000) });
    expect(ok.status).toBe(200);
    expect(ok.body.body).toHaveLength(2000);
  });

  it('says why a field was refused as a reason clients translate (with the limit for sizes)', async () => {
    const reasonOf = (res: { body: TErrorBody }) => ({
      field: res.body.field,
      reason: res.body.reason,
      limit: res.body.limit,
    });
    expect(reasonOf(await send({ clientId: 'r1', type: 'text', body: '长'.repeat(2001) }))).toEqual({
      field: 'body',
      reason: 'too_long',
      limit: 2000,
    });
    expect(reasonOf(await send({ type: 'text', body: '你好' }))).toMatchObject({
      field: 'clientId',
      reason: 'required',
    });
    expect(reasonOf(await send({ clientId: 'r2', type: 'video', body: '你好' }))).toMatchObject({
      field: 'type',
      reason: 'invalid',
    });
    expect(reasonOf(await send({ clientId: 'r3', type: 'text', body: 12345 }))).toMatchObject({
      field: 'body',
      reason: 'type',
    });
    const admin = await login(server, t.admin.email);
    const badEmail = await api<TErrorBody>(server, 'POST', '/api/users', {
      token: admin,
      body: { email: 'not-an-address', name: '小王', password: 'peakdesk-1234', role: 'agent' },
    });
    expect(reasonOf(badEmail)).toMatchObject({ field: 'email', reason: 'email' });
  });

  it('rejects empty and whitespace-only text', async () => {
    expectInvalid(await send({ clientId: 'e1', type: 'text', body: '' }), 'body');
    expectInvalid(await send({ clientId: 'e2', type: 'text', body: '  \n\t  ' }), 'body');
  });

  it('names the field for wrong types and missing values', async () => {
    expectInvalid(await send({ clientId: 'n1', type: 'text', body: 12345 }), 'body');
    expectInvalid(await send({ type: 'text', body: '你好' }), 'clientId');
    expectInvalid(await send({ clientId: 'has spaces!', type: 'text', body: '你好' }), 'clientId');
    expectInvalid(await send({ clientId: 'x'.repeat(65), type: 'text', body: '你好' }), 'clientId');
    expectInvalid(await send({ clientId: 't1', type: 'video', body: '你好' }), 'type');
    expectInvalid(await send({ clientId: 't2', body: '你好' }), 'type');
    expectInvalid(await send({ clientId: 'i1', type: 'image', attachmentId: 'not-a-uuid' }), 'attachmentId');
    expectInvalid(await send({ clientId: 'i2', type: 'image' }), 'attachmentId');
    expectInvalid(await send({ clientId: 'x', type: 'text', body: 'x' }, { id: 'not-a-uuid' }), 'id');
    const read = await api<TErrorBody>(server, 'POST', `/api/conversations/${conv.id}/read`, {
      token: vt,
      body: { seq: 'ten' },
    });
    expectInvalid(read, 'seq');
    const list = await api<TErrorBody>(server, 'GET', '/api/conversations?scope=everything', {
      token: agentToken,
    });
    expectInvalid(list, 'scope');
    for (const body of ['"just a string"', '[]', 'null', '42']) {
      const res = await api<TErrorBody>(server, 'POST', `/api/conversations/${conv.id}/messages`, {
        token: vt,
        body,
      });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
  });

  it('rejects malformed JSON, prototype pollution and unknown content types with JSON errors', async () => {
    const malformed = await api<TErrorBody>(server, 'POST', `/api/conversations/${conv.id}/messages`, {
      token: vt,
      body: '{"clientId": "m1", "type": "text", "body": ',
    });
    expect(malformed.status).toBe(400);
    expect(typeof malformed.body.code).toBe('string');
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js|node_modules/);
    const proto = await api<TErrorBody>(server, 'POST', `/api/conversations/${conv.id}/messages`, {
      token: vt,
      body: '{"clientId":"p1","type":"text","body":"x","__proto__":{"isAdmin":true}}',
    });
    expect(proto.status).toBe(400);
    const xml = await api<TErrorBody>(server, 'POST', `/api/conversations/${conv.id}/messages`, {
      token: vt,
      body: '<message/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body.code).toBe('unsupported_media_type');
  });

  it('answers unknown routes with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/does-not-exist'],
      ['POST', '/api/conversations'],
      ['DELETE', `/api/conversations/${conv.id}`],
      ['POST', '/nope.php'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = (await res.json()) as TErrorBody;
      expect(body.code).toBe('route_not_found');
    }
  });

  it('refuses JSON bodies over 256 KB with 413', async () => {
    const res = await send({ clientId: 'big', type: 'text', body: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('stores script-carrying text verbatim and returns it as inert JSON', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&{{7*7}}${7*7}';
    const res = await fetch(`${server.url}/api/conversations/${conv.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'xss', type: 'text', body: evil }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as TMessage).body).toBe(evil);
    const page = await api<THistoryPage>(server, 'GET', `/api/conversations/${conv.id}/messages`, {
      token: agentToken,
    });
    expect(page.body.messages.find((m) => m.clientId === 'xss')?.body).toBe(evil);
    const list = await api<TConversation[]>(server, 'GET', '/api/conversations?scope=mine', {
      token: agentToken,
    });
    expect(list.body.find((c) => c.id === conv.id)?.lastMessagePreview).toBe(evil.slice(0, 80));
  });

  it('refuses NUL characters naming the field, and keeps other unusual unicode intact', async () => {
    expectInvalid(await send({ clientId: 'nul', type: 'text', body: 'a\u0000b' }), 'body');
    const nested = await api<TErrorBody>(server, 'POST', '/api/widget/session', {
      body: { storeId: t.store.id, buyer: { buyerId: 'tb_1', name: 'x\u0000', signature: 'ab'.repeat(32) } },
    });
    expectInvalid(nested, 'buyer.name');
    const query = await api<TErrorBody>(
      server,
      'GET',
      `/api/quick-replies?q=${encodeURIComponent('\u0000')}`,
      {
        token: agentToken,
      },
    );
    expectInvalid(query, 'q');
    // A path parameter: the text id of an FAQ would otherwise reach PostgreSQL and fail there.
    const admin = await login(server, t.admin.email);
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const path = await api<TErrorBody>(server, method, '/api/faqs/a%00b', {
        token: admin,
        ...(method === 'PATCH' ? { body: { answer: 'x' } } : {}),
      });
      expect({ method, status: path.status }).toEqual({ method, status: 400 });
      expectInvalid(path, 'id');
    }
    const emoji = await send({ clientId: 'emoji', type: 'text', body: '👍🏻 亲～ \u200b\u202e反转' });
    expect(emoji.status).toBe(200);
    expect(emoji.body.body).toBe('👍🏻 亲～ \u200b\u202e反转');
    // An emoji cut in half by a client: stored with a replacement character, not a 500.
    const lone = await send({ clientId: 'surrogate', type: 'text', body: 'half \ud83d emoji \ude00' });
    expect(lone.status).toBe(200);
    expect(lone.body.body).toBe('half \ufffd emoji \ufffd');
    // Deep nesting is refused or ignored, never a crash.
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const res = await api(server, 'POST', `/api/conversations/${conv.id}/messages`, {
      token: vt,
      body: deep,
    });
    expect(res.status).toBe(400);
  });
});

describe('bad input over the socket', () => {
  it('acks invalid requests with invalid_input naming the field and keeps serving', async () => {
    const client = customerClient(server, vt);
    try {
      await waitFor(() => client.connected);
      const emit = async (event: 'message:send' | 'sync' | 'read' | 'conversation:open', payload: unknown) =>
        (await client.socket.timeout(5000).emitWithAck(event, payload)) as TAck<unknown>;
      const base = { conversationId: conv.id, clientId: randomUUID(), type: 'text', body: '你好' };
      const cases: [typeof emit extends (e: infer E, p: unknown) => unknown ? E : never, unknown, string][] =
        [
          ['message:send', { ...base, body: 'x'.repeat(2001) }, 'body'],
          ['message:send', { ...base, body: '   ' }, 'body'],
          ['message:send', { ...base, body: 42 }, 'body'],
          ['message:send', { ...base, clientId: undefined }, 'clientId'],
          ['message:send', { ...base, conversationId: 'nope' }, 'conversationId'],
          ['message:send', { ...base, type: 'video' }, 'type'],
          ['message:send', { ...base, type: 'image' }, 'attachmentId'],
          ['sync', { conversationId: conv.id, afterSeq: -1 }, 'afterSeq'],
          ['sync', { conversationId: conv.id }, 'afterSeq'],
          ['read', { conversationId: conv.id, seq: 'x' }, 'seq'],
          ['conversation:open', { entry: 'homepage' }, 'entry'],
          ['message:send', { ...base, body: 'a\u0000b' }, 'body'],
          [
            'message:send',
            { ...base, body: 'x'.repeat(2001), nested: ['ok', { deep: '\u0000' }] },
            'nested.1.deep',
          ],
        ];
      for (const [event, payload, field] of cases) {
        const ack = await emit(event, payload);
        expect(ack.ok).toBe(false);
        if (ack.ok) continue;
        expect({ event, field, code: ack.error.code }).toEqual({ event, field, code: 'invalid_input' });
        expect(ack.error.message.startsWith(`${field}:`)).toBe(true);
      }
      for (const payload of ['a string', 42, null, [1, 2]]) {
        const ack = await emit('message:send', payload);
        expect(ack.ok).toBe(false);
        if (!ack.ok) expect(ack.error.code).toBe('invalid_input');
      }
      // No ack function, garbage payloads: nothing to answer, nothing must break.
      const untyped = client.socket as unknown as Socket;
      untyped.emit('message:send', { garbage: true });
      client.socket.emit('typing', 'not an object');
      client.socket.emit('read', { conversationId: conv.id, seq: -5 });

      const ok = await client.send({ conversationId: conv.id, type: 'text', body: '正常消息' });
      expect(ok.body).toBe('正常消息');
      expect(client.connected).toBe(true);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      client.close();
    }
  });
});

describe('ops endpoints and API docs', () => {
  it('/health answers without a database round trip; /ready checks the database', async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('ready');
    expect(body.checks.database).toBe('ok');
  });

  it('/docs serves the OpenAPI UI and /docs/json describes the chat routes', async () => {
    const ui = await fetch(`${server.url}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect(await ui.text()).toMatch(/swagger/i);
    const spec = (await (await fetch(`${server.url}/docs/json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    const messages = spec.paths['/api/conversations/{id}/messages'];
    expect(messages).toBeDefined();
    expect(Object.keys(messages ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(spec.paths['/api/auth/login']).toBeDefined();
  });
});
