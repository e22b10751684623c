import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  login,
  startTestServer,
  startVisitor,
  type Tenant,
  type TestServer,
} from '../../test/harness.ts';

/**
 * Staff sockets open only from this server's own origin or PEAKDESK_ALLOWED_ORIGINS (the socket
 * side of the cookie CSRF rule, docs/security.md): a page elsewhere cannot open a socket with the
 * staff member's cookie (cross-site WebSocket hijacking) nor with a token. Visitor sockets (the widget
 * on merchants' shops) connect from any origin.
 */
const DESK = 'https://desk.example.com';
const EVIL = 'https://evil.example.net';
const SHOP = 'https://shop.merchant.example';

let server: TestServer;
let t: Tenant;
let session: string;

beforeAll(async () => {
  server = await startTestServer({ PEAKDESK_ALLOWED_ORIGINS: DESK });
  t = await createTenant(server, { agents: 1 });
  session = await login(server, t.agents[0]!.email);
});
afterAll(async () => {
  await server?.stop();
});

type Outcome = { connected: true } | { connected: false; message: string; code: unknown };
/** Opens one socket (no reconnection) and reports whether the handshake was accepted. */
async function handshake(opts: {
  origin?: string;
  auth?: Record<string, string>;
  cookie?: string;
  transport?: 'websocket' | 'polling';
  headers?: Record<string, string>;
}): Promise<Outcome> {
  const extraHeaders: Record<string, string> = { ...opts.headers };
  if (opts.origin) extraHeaders.origin = opts.origin;
  if (opts.cookie) extraHeaders.cookie = opts.cookie;
  const socket: Socket = io(server.url, {
    path: '/socket.io',
    transports: [opts.transport ?? 'websocket'],
    reconnection: false,
    auth: opts.auth ?? {},
    extraHeaders,
  });
  try {
    return await new Promise<Outcome>((resolve) => {
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (e: Error & { data?: { code?: unknown } }) =>
        resolve({ connected: false, message: e.message, code: e.data?.code }),
      );
    });
  } finally {
    socket.close();
  }
}
const refused = { connected: false, message: 'origin_not_allowed', code: 'origin_not_allowed' };

describe('socket handshake Origin allowlist', () => {
  it('refuses a staff socket from a foreign origin, with the session as token or as cookie', async () => {
    expect(await handshake({ origin: EVIL, auth: { token: session } })).toEqual(refused);
    expect(await handshake({ origin: EVIL, cookie: `pd_session=${encodeURIComponent(session)}` })).toEqual(
      refused,
    );
    // Another port of the same host is another origin.
    expect(await handshake({ origin: server.url.replace(/:\d+$/, ':1'), auth: { token: session } })).toEqual(
      refused,
    );
    expect(await handshake({ origin: 'null', auth: { token: session } })).toEqual(refused);
    // Over long-polling too.
    expect(await handshake({ origin: EVIL, auth: { token: session }, transport: 'polling' })).toEqual(
      refused,
    );
  });

  it('forwarded headers are believed only from PEAKDESK_TRUST_PROXY (none here)', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example.net' };
    expect(await handshake({ origin: EVIL, auth: { token: session }, headers })).toEqual(refused);
  });

  it("accepts staff sockets from the server's own origin, a configured one, and without Origin", async () => {
    expect(await handshake({ origin: server.url, auth: { token: session } })).toEqual({ connected: true });
    expect(
      await handshake({ origin: server.url, cookie: `pd_session=${encodeURIComponent(session)}` }),
    ).toEqual({ connected: true });
    expect(await handshake({ origin: DESK, auth: { token: session } })).toEqual({ connected: true });
    expect(await handshake({ auth: { token: session } })).toEqual({ connected: true });
  });

  it("accepts the widget's visitor socket from a merchant's shop", async () => {
    const v = await startVisitor(server, t.store.id);
    expect(await handshake({ origin: SHOP, auth: { visitorToken: v.visitorToken } })).toEqual({
      connected: true,
    });
  });

  it('answers long-polling CORS only for configured origins, never reflecting a foreign one', async () => {
    const poll = (origin: string) =>
      fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const foreign = await poll(EVIL);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    await foreign.arrayBuffer();
    const configured = await poll(DESK);
    expect(configured.headers.get('access-control-allow-origin')).toBe(DESK);
    expect(configured.headers.get('access-control-allow-credentials')).toBe('true');
    await configured.arrayBuffer();
  });
});
