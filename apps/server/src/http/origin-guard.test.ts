import type { TErrorBody } from '@peakdesk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
} from '../../test/harness.ts';
import { SESSION_COOKIE } from './auth.ts';

const ALLOWED = 'https://desk.example.com';
const EVIL = 'https://evil.example';
let server: TestServer;
let t: Tenant;
let session = '';

beforeAll(async () => {
  server = await startTestServer({ PEAKDESK_ALLOWED_ORIGINS: ALLOWED });
  t = await createTenant(server, { agents: 1 });
  session = await login(server, t.agents[0]!.email);
});
afterAll(async () => {
  await server?.stop();
});

/** A status change (a harmless write) with the given headers; the session rides in the cookie unless told. */
async function setStatus(headers: Record<string, string>, cookie = true) {
  const res = await fetch(`${server.url}/api/me/status`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(cookie ? { cookie: `${SESSION_COOKIE}=${session}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ status: 'paused' }),
  });
  return { status: res.status, body: (await res.json()) as TErrorBody };
}

describe('cookie-authenticated writes check where they come from', () => {
  it('refuses a foreign Origin with 403 origin_not_allowed naming it', async () => {
    const res = await setStatus({ origin: EVIL });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('origin_not_allowed');
    expect(res.body.message).toContain(EVIL);
    expect((await setStatus({ origin: 'null' })).status).toBe(403);
    // A sibling port is another origin.
    expect((await setStatus({ origin: server.url.replace(/:\d+$/, ':1') })).status).toBe(403);
  });

  it("accepts the server's own origin and the configured ones", async () => {
    expect((await setStatus({ origin: server.url })).status).toBe(200);
    expect((await setStatus({ origin: ALLOWED })).status).toBe(200);
  });

  it('falls back to the Referer, then to Sec-Fetch-Site', async () => {
    const foreign = await setStatus({ referer: `${EVIL}/page?x=1` });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'origin_not_allowed']);
    expect(foreign.body.message).toContain(EVIL);
    expect((await setStatus({ referer: `${server.url}/workspace` })).status).toBe(200);
    for (const site of ['cross-site', 'same-site']) {
      const res = await setStatus({ 'sec-fetch-site': site });
      expect([site, res.status, res.body.code]).toEqual([site, 403, 'origin_not_allowed']);
    }
    expect((await setStatus({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('lets non-browser clients (no Origin, Referer or Sec-Fetch-Site) through', async () => {
    expect((await setStatus({})).status).toBe(200);
  });

  it('checks the cookie even next to a bearer header that is not a token', async () => {
    expect((await setStatus({ origin: EVIL, authorization: 'Bearer junk' })).status).toBe(403);
  });

  it('does not check reads, nor bearer-token writes', async () => {
    const read = await fetch(`${server.url}/api/auth/me`, {
      headers: { cookie: `${SESSION_COOKIE}=${session}`, origin: EVIL },
    });
    expect(read.status).toBe(200);
    const bearer = await setStatus({ origin: EVIL, authorization: `Bearer ${session}` }, false);
    expect(bearer.status).toBe(200);
  });

  it("the widget keeps working from a merchant's shop (visitor token, no cookie)", async () => {
    const shop = 'https://shop.merchant.example';
    const v = await startVisitor(server, t.store.id);
    const conv = await fetch(`${server.url}/api/widget/conversations`, {
      method: 'POST',
      headers: {
        origin: shop,
        authorization: `Bearer ${v.visitorToken}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(conv.status).toBe(200);
    const session = await fetch(`${server.url}/api/widget/session`, {
      method: 'POST',
      headers: { origin: shop, 'content-type': 'application/json' },
      body: JSON.stringify({ storeId: t.store.id }),
    });
    expect(session.status).toBe(200);
  });
});
