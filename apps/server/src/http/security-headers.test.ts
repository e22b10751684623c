import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, login, startTestServer, type TestServer } from '../../test/harness.ts';
import { webDist } from './static.routes.ts';

/**
 * Every answer carries a Content-Security-Policy (script-src 'self', frame-ancestors 'none') and
 * the other helmet headers; the widget script may be loaded by merchants' shops (docs/security.md).
 */
let server: TestServer;
let session: string;
beforeAll(async () => {
  server = await startTestServer();
  const t = await createTenant(server, { agents: 0 });
  session = await login(server, t.admin.email);
});
afterAll(async () => {
  await server?.stop();
});

/** The policy as directive → sources. */
function policyOf(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy');
  expect(header, `${res.url}: no Content-Security-Policy`).toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}
function expectStaffPolicy(res: Response) {
  const p = policyOf(res);
  expect(p.get('frame-ancestors')).toEqual(["'none'"]);
  expect(p.get('script-src')).toEqual(["'self'"]);
  expect(p.get('default-src')).toEqual(["'self'"]);
  expect(p.get('object-src')).toEqual(["'none'"]);
  expect(p.get('base-uri')).toEqual(["'self'"]);
  // A plain-HTTP install on a LAN address must keep loading its own scripts.
  expect(p.has('upgrade-insecure-requests')).toBe(false);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  // Not no-referrer: that makes browsers send `Origin: null` on same-origin POSTs (origin-guard.ts).
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

describe('security headers', () => {
  it('the web app at / (and its SPA routes) carries the staff policy', async () => {
    for (const path of ['/', '/workspace', '/admin/dead-letters']) {
      const res = await fetch(`${server.url}${path}`);
      expectStaffPolicy(res);
      await res.arrayBuffer();
    }
  });

  it('the built web app has no inline script for the policy to block', () => {
    const index = join(webDist, 'index.html');
    // `npm test` builds the UI before this runs; a bare checkout has nothing to inspect.
    if (!existsSync(index)) return;
    const html = readFileSync(index, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/[^"]+"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('API answers, refusals and the API docs carry it too', async () => {
    const me = await fetch(`${server.url}/api/auth/me`);
    expect(me.status).toBe(401);
    expectStaffPolicy(me);
    await me.arrayBuffer();
    // Refused by the cookie origin check, an onRequest hook that runs after the headers are set.
    const refused = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `pd_session=${encodeURIComponent(session)}`, origin: 'https://evil.example.net' },
    });
    expect(refused.status).toBe(403);
    expectStaffPolicy(refused);
    await refused.arrayBuffer();
    const docs = await fetch(`${server.url}/docs/static/index.html`);
    expect(docs.status).toBe(200);
    expectStaffPolicy(docs);
    expect(await docs.text()).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('the widget script may be loaded by a shop of another origin', async () => {
    const res = await fetch(`${server.url}/widget.js`, { headers: { origin: 'https://shop.example' } });
    // Without this, the browser refuses the <script> on the shop (helmet's default is same-origin).
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    // The policy of a script response binds nothing on the shop's page; it is there like everywhere.
    expectStaffPolicy(res);
    if (res.status === 200) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('content-type')).toContain('javascript');
    }
    await res.arrayBuffer();
  });

  it('the demo store page (the widget embedded as a merchant would) is not frameable either', async () => {
    const res = await fetch(`${server.url}/demo`);
    expectStaffPolicy(res);
    await res.arrayBuffer();
  });
});
