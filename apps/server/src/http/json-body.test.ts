import type { TConversation, TErrorBody } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type TestServer,
} from '../../test/harness.ts';

let server: TestServer;
let agentToken: string;
let conv: TConversation;

beforeAll(async () => {
  server = await startTestServer();
  const t = await createTenant(server, { agents: 1 });
  agentToken = await login(server, t.agents[0]!.email);
  await api(server, 'PUT', '/api/me/status', { token: agentToken, body: { status: 'online' } });
  const v = await startVisitor(server, t.store.id);
  conv = (
    await api<TConversation>(server, 'POST', '/api/widget/conversations', { token: v.visitorToken, body: {} })
  ).body;
});
afterAll(async () => {
  await server?.stop();
});

/** A raw request: the header says JSON, the body is exactly `body` (what `fetch` sends for `body: ''`). */
const raw = (method: string, path: string, body: string) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
    body,
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as TErrorBody & Partial<TConversation> }));

describe('application/json with an empty body', () => {
  it('is accepted on an action route that takes no body (resolve)', async () => {
    expect(conv.status).toBe('assigned');
    const res = await raw('POST', `/api/conversations/${conv.id}/resolve`, '');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('resolved');
  });

  it('is accepted with whitespace only, and without any body at all', async () => {
    const noBody = await fetch(`${server.url}/api/conversations/${conv.id}/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
    });
    expect(noBody.status).not.toBe(400);
    const ws = await raw('POST', `/api/conversations/${conv.id}/resolve`, ' \n');
    expect(ws.status).not.toBe(400);
  });

  it('still answers 400 naming the body on a route that needs one', async () => {
    const res = await raw('PUT', '/api/me/status', '');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_input');
  });

  it('still refuses malformed JSON and prototype poisoning', async () => {
    expect((await raw('PUT', '/api/me/status', '{"status":')).status).toBe(400);
    const poisoned = await raw('PUT', '/api/me/status', '{"status":"online","__proto__":{"x":1}}');
    expect(poisoned.status).toBe(400);
  });
});
