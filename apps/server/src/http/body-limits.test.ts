import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
} from '../../test/harness.ts';

/**
 * Large bodies are for the import routes only, and only for a signed-in caller: an unauthenticated
 * upload is answered 401 before its body is read; every other route keeps the small default limit.
 */
let server: TestServer;
let t: Tenant;
let adminToken: string;
beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 1 });
  adminToken = await login(server, t.admin.email);
});
afterAll(async () => {
  await server?.stop();
});

/** Announces a large body but sends only its first 64 KiB: a server waiting for the body never answers. */
function announceHugeUpload(path: string, megabytes: number, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        'content-length': String(megabytes * 1024 * 1024),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no answer before the body was sent: the server is reading the body'));
    }, 3_000);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(64 * 1024, 'a'));
  });
}

describe('body limits', () => {
  it('answers an unauthenticated upload to an import route 401 before reading its body', async () => {
    // Within the import limit (a server reading first would wait for the rest) and above it.
    for (const mb of [15, 50]) {
      expect(await announceHugeUpload('/api/workforce/histories/import?format=csv', mb)).toBe(401);
      expect(await announceHugeUpload('/api/faqs/import?format=csv', mb)).toBe(401);
    }
  });

  it('answers an oversized body on a non-import route 413 payload_too_large naming the limit', async () => {
    const res = await api<{ code: string; message: string }>(server, 'POST', '/api/quick-replies', {
      token: adminToken,
      body: { title: 'x', body: 'y'.repeat(2 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    expect(res.body.message).toMatch(/262144 bytes/);
  });

  it('accepts a signed-in import above the default limit', async () => {
    const rows = ['timestamp,count'];
    for (let i = 0; rows.join('\n').length < 300 * 1024; i++)
      rows.push(`${new Date(Date.UTC(2026, 0, 1) + i * 900_000).toISOString()},${i % 50}`);
    const res = await api(server, 'POST', '/api/workforce/histories/import?format=csv&name=big', {
      token: adminToken,
      headers: { 'content-type': 'text/csv' },
      raw: Buffer.from(rows.join('\n')),
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
  });
});
