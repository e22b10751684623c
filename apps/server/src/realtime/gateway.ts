import type { Server as HttpServer, IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import {
  type TAck,
  type TApiTokenScope,
  type TClientToServerEvents,
  type TMessage,
  type TServerToClientEvents,
  ZHistoryQuery,
  ZReadEvent,
  ZSendMessageRequest,
  ZSyncHeadsRequest,
  ZSyncRequest,
  ZTypingEvent,
} from '@peakdesk/contracts';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import { type ZodType, z } from 'zod';
import type { DomainEvents, EventBus } from '../events/event-bus.ts';
import { SESSION_COOKIE } from '../http/auth.ts';
import { assertTokenScope, type Caller } from '../http/caller.ts';
import { DomainError } from '../http/domain-error.ts';
import { type Scope, scopeOf } from '../http/scope.ts';
import { scrubText } from '../http/text-guard.ts';
import { hashToken } from '../modules/accounts/secrets.ts';
import type { Services } from '../services.ts';
import { TokenBucket } from './token-bucket.ts';

type SocketData = {
  caller: Caller;
  /** SHA-256 of the session or API token the socket signed in with (none for visitors). */
  credential?: string;
  /** The caller's message budget, shared by all their sockets on this instance. */
  budget: { bucket: TokenBucket; key: string; sockets: number };
};
const ZOpenRequest = z.object({
  entry: z.enum(['store_page', 'order_page', 'product_page']).default('store_page'),
  /** The text the customer is about to send: entry rules match its keywords. */
  firstMessage: z.string().max(2000).optional(),
});
const MAX_TIMER_MS = 2 ** 31 - 1;
type PdSocket = Socket<TClientToServerEvents, TServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Rooms follow the caller's scope (`http/scope.ts`): staff traffic of a store goes to that store's
 * rooms and to the org-wide rooms, so a supervisor or agent limited to store X never receives store
 * Y's messages, conversation updates, transfers or status pushes. Org-wide staff (admins) join the
 * org-wide rooms only; store-limited staff join one room per store of theirs.
 */
export const rooms = {
  customer: (id: string) => `c:${id}`,
  user: (id: string) => `u:${id}`,
  /** The sockets of one session or API token (its SHA-256 hash): logout or revoke ends exactly these. */
  credential: (hash: string) => `k:${hash}`,
  /** Org-wide supervisors and admins. */
  orgSupervisors: (orgId: string) => `o:${orgId}:sup`,
  /** Supervisors limited to stores, one room per store. */
  storeSupervisors: (storeId: string) => `s:${storeId}:sup`,
  /** Org-wide members of a skill group. */
  orgGroup: (groupId: string) => `g:${groupId}`,
  /** Members of a skill group limited to stores, one room per (group, store). */
  storeGroup: (groupId: string, storeId: string) => `g:${groupId}:s:${storeId}`,
};
/** Where the supervisors who may see a store's traffic are. */
const supervisorsOf = (orgId: string, storeId: string) => [
  rooms.orgSupervisors(orgId),
  rooms.storeSupervisors(storeId),
];
/** Where the members of a group who may see a store's traffic are. */
const groupOf = (groupId: string, storeId: string) => [
  rooms.orgGroup(groupId),
  rooms.storeGroup(groupId, storeId),
];
/** The rooms a staff socket joins for its scope. */
function staffRooms(scope: Scope, role: string, groupIds: readonly string[]): string[] {
  const out: string[] = [];
  const stores = scope.storeIds;
  if (role !== 'agent')
    out.push(
      ...(stores === 'all' ? [rooms.orgSupervisors(scope.orgId)] : stores.map(rooms.storeSupervisors)),
    );
  for (const g of groupIds)
    out.push(...(stores === 'all' ? [rooms.orgGroup(g)] : stores.map((st) => rooms.storeGroup(g, st))));
  return out;
}

export type RealtimeGateway = {
  io: Server<TClientToServerEvents, TServerToClientEvents, Record<string, never>, SocketData>;
  /** Requests being handled right now; shutdown waits for them to finish. */
  inFlight(): number;
  close(): Promise<void>;
};

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function errorAck(error: unknown): { ok: false; error: { code: string; message: string } } {
  if (error instanceof DomainError) return { ok: false, error: { code: error.code, message: error.message } };
  return { ok: false, error: { code: 'internal', message: 'internal error' } };
}

/**
 * The socket counterpart of `http/origin-guard.ts`: may a handshake that carries this `Origin`
 * open a staff socket? Its own origin (`protocol://host` of the upgrade request, `X-Forwarded-Proto`
 * / `-Host` believed only from `PEAKDESK_TRUST_PROXY`, as Fastify does) or a configured one. A
 * handshake without `Origin` is not from a browser page (CLI, simulator, integrations) and passes.
 */
export function createSocketOriginCheck(allowedOrigins: readonly string[], trustProxy: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  const trusted = trustProxy.length > 0 ? proxyAddr.compile([...trustProxy]) : () => false;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  return (req: IncomingMessage): { ok: true } | { ok: false; origin: string } => {
    const origin = first(req.headers.origin);
    if (!origin || allowed.has(origin)) return { ok: true };
    const viaProxy = trusted(req.socket.remoteAddress ?? '', 0);
    const secure = 'encrypted' in req.socket && Boolean(req.socket.encrypted);
    const proto = (viaProxy && first(req.headers['x-forwarded-proto'])) || (secure ? 'https' : 'http');
    const host = (viaProxy && first(req.headers['x-forwarded-host'])) || req.headers.host;
    return host && origin === `${proto}://${host}` ? { ok: true } : { ok: false, origin };
  };
}

export async function createRealtimeGateway(opts: {
  httpServer: HttpServer;
  services: Services;
  bus: EventBus;
  redisUrl: string | undefined;
  logger: Logger;
  messagesPerSecond: number;
  /** `PEAKDESK_ALLOWED_ORIGINS` (with `PEAKDESK_PUBLIC_URL`'s): pages besides our own that may open staff sockets. */
  allowedOrigins: readonly string[];
  trustProxy: readonly string[];
}): Promise<RealtimeGateway> {
  const { services: s, bus, logger } = opts;
  const originCheck = createSocketOriginCheck(opts.allowedOrigins, opts.trustProxy);
  const io = new Server<TClientToServerEvents, TServerToClientEvents, Record<string, never>, SocketData>(
    opts.httpServer,
    {
      path: '/socket.io',
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      // CORS answers (long-polling only; WebSocket has none) for the configured origins only: the own
      // origin needs none, and the widget on merchants' shops connects over WebSocket.
      cors: { origin: [...opts.allowedOrigins], credentials: true },
    },
  );

  let redis: Redis[] = [];
  if (opts.redisUrl) {
    const pub = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    const sub = pub.duplicate();
    for (const c of [pub, sub])
      c.on('error', (e: Error) => logger.warn({ err: e.message }, 'redis connection error'));
    redis = [pub, sub];
    io.adapter(createAdapter(pub, sub));
  }

  io.use(async (socket, next) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as { visitorToken?: unknown; token?: unknown };
      let caller: Caller | null = null;
      let credential: string | undefined;
      if (typeof auth.visitorToken === 'string') caller = await s.resolvers.resolveVisitor(auth.visitorToken);
      else if (typeof auth.token === 'string' && auth.token.startsWith('pdk_')) {
        caller = await s.resolvers.resolveApiToken(auth.token);
        credential = auth.token;
      } else if (typeof auth.token === 'string') {
        caller = await s.resolvers.resolveSession(auth.token);
        credential = auth.token;
      } else {
        credential = cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
        if (credential) caller = await s.resolvers.resolveSession(credential);
      }
      if (!caller) return next(new Error('unauthenticated'));
      // Staff sockets from a page of a foreign origin are refused whatever the credential (a cookie
      // is sent by the browser on its own, so this is what stops cross-site WebSocket hijacking).
      // Visitor sockets are open to every origin: the widget runs on merchants' shops, and a visitor
      // token is no ambient credential: only a script that holds it can send it.
      const origin = caller.kind === 'user' ? originCheck(socket.request) : { ok: true as const };
      if (!origin.ok)
        return next(
          Object.assign(new Error('origin_not_allowed'), {
            data: {
              code: 'origin_not_allowed',
              message: `origin ${origin.origin} may not open a staff socket: it is neither this server's origin nor in PEAKDESK_ALLOWED_ORIGINS`,
            },
          }),
        );
      socket.data.caller = caller;
      if (credential && caller.kind === 'user') socket.data.credential = hashToken(credential);
      next();
    } catch (error) {
      // An expired or revoked token: refused like any bad credential, with the reason in `data.code`.
      if (error instanceof DomainError && error.kind === 'unauthenticated')
        return next(Object.assign(new Error('unauthenticated'), { data: { code: error.code } }));
      logger.error({ err: error }, 'socket auth failed');
      next(new Error('unavailable'));
    }
  });

  let inFlight = 0;
  // One budget per caller, shared by all their sockets: opening more tabs does not raise the limit.
  type Budget = { bucket: TokenBucket; key: string; sockets: number };
  const buckets = new Map<string, Budget>();
  const presence = (p: Promise<unknown> | undefined) =>
    p?.catch((e: unknown) => logger.warn({ err: e }, 'presence update failed'));

  // Handlers are created once for the server, not per socket: each reads its socket from `this`
  // (EventEmitter calls listeners with the emitter) and the caller and budget from socket.data.
  // Per-socket closures were ~2.5 KiB of heap each idle connection (docs/performance.md).
  /** Validates, rate-limits and runs one request; the ack always answers, never throws. */
  /** `scope`: what an API-token socket needs for this event (writes need `integration`, like REST). */
  function handle<T, R>(
    schema: ZodType<T>,
    fn: (caller: Caller, req: T, socket: PdSocket) => Promise<R>,
    scope: TApiTokenScope = 'read',
  ) {
    return async function (this: PdSocket, raw: unknown, ack?: (r: TAck<R>) => void) {
      const reply = typeof ack === 'function' ? ack : () => {};
      const { caller, budget } = this.data;
      try {
        assertTokenScope(caller, scope);
      } catch (error) {
        return reply(errorAck(error));
      }
      if (!budget.bucket.take())
        return reply({
          ok: false,
          error: { code: 'rate_limited', message: 'too many messages; slow down' },
        });
      const nul = scrubText(raw);
      if (nul !== null)
        return reply({
          ok: false,
          error: { code: 'invalid_input', message: `${nul || 'payload'}: must not contain NUL characters` },
        });
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.join('.') || 'payload';
        return reply({
          ok: false,
          error: { code: 'invalid_input', message: `${path}: ${issue?.message ?? 'invalid'}` },
        });
      }
      inFlight++;
      try {
        reply({ ok: true, data: await fn(caller, parsed.data, this) });
      } catch (error) {
        if (!(error instanceof DomainError)) logger.error({ err: error }, 'socket handler failed');
        reply(errorAck(error));
      } finally {
        inFlight--;
      }
    };
  }
  // The socket a message came from already gets it in its ack: the push skips that socket (the
  // sender's other tabs and devices still get it). Keyed by conversation + client id while the send runs.
  const originSocket = new Map<string, string>();
  const originKey = (conversationId: string, clientId: string) => `${conversationId}\u0000${clientId}`;
  const onSend = handle(
    ZSendMessageRequest,
    async (caller, req, socket) => {
      const key = originKey(req.conversationId, req.clientId);
      originSocket.set(key, socket.id);
      try {
        return await s.chat.sendMessage(caller, req);
      } finally {
        originSocket.delete(key);
      }
    },
    'integration',
  );
  const onSync = handle(ZSyncRequest, async (caller, req) =>
    s.chat.history(caller, req.conversationId, ZHistoryQuery.parse({ afterSeq: req.afterSeq, limit: 200 })),
  );
  const onSyncHeads = handle(ZSyncHeadsRequest, async (caller, req) =>
    s.chat.conversationHeads(caller, req.conversationIds),
  );
  const onOpen = handle(ZOpenRequest, async (caller, req) => {
    if (caller.kind !== 'customer') throw new DomainError('forbidden', 'forbidden', 'customers only');
    return s.chat.openConversation(caller, req.entry, req.firstMessage);
  });
  const onTyping = handle(
    ZTypingEvent,
    async (caller, req) => s.chat.typing(caller, req.conversationId, req.isTyping),
    'integration',
  );
  const onRead = handle(
    ZReadEvent,
    async (caller, req) => {
      await s.chat.markRead(caller, req.conversationId, req.seq);
      return null;
    },
    'integration',
  );
  function onDisconnect(this: PdSocket) {
    const { caller, budget } = this.data;
    if (caller.kind === 'user') s.routing.agentDisconnected(caller.userId);
    else if ((io.sockets.adapter.rooms.get(rooms.customer(caller.customerId))?.size ?? 0) === 0)
      void presence(s.routing.customerDisconnected(caller.customerId, caller.orgId));
    if (--budget.sockets === 0) buckets.delete(budget.key);
  }

  io.on('connection', (socket: PdSocket) => {
    // The upgrade request (IncomingMessage, its headers and stream state) stays referenced by the
    // engine.io socket for the connection's life; the handshake already holds what we need (auth,
    // headers for the cookie), so let it go: ~1 KiB per idle connection.
    Reflect.set(socket.conn, 'request', null);
    const caller = socket.data.caller;
    if (caller.kind === 'customer') void socket.join(rooms.customer(caller.customerId));
    else
      void socket.join([
        rooms.user(caller.userId),
        ...(socket.data.credential ? [rooms.credential(socket.data.credential)] : []),
        ...staffRooms(scopeOf(caller), caller.role, caller.groupIds),
      ]);
    // Presence for routing: agents heartbeat through the db; a waiting customer who stays away abandons.
    if (caller.kind === 'customer') void presence(s.routing.customerConnected(caller.customerId));
    else void presence(s.routing.agentConnected(caller.userId));
    const key = caller.kind === 'customer' ? `c:${caller.customerId}` : `u:${caller.userId}`;
    let budget = buckets.get(key);
    if (!budget) {
      budget = {
        bucket: new TokenBucket(
          caller.kind === 'customer' ? opts.messagesPerSecond : opts.messagesPerSecond * 10,
        ),
        key,
        sockets: 0,
      };
      buckets.set(key, budget);
    }
    budget.sockets++;
    socket.data.budget = budget;
    // A socket does not outlive its credential's expiry (the reconnect is then refused). Timers only
    // for expiries within setTimeout's range (~24 days); a longer-lived socket re-checks on reconnect.
    const expiresAt = (caller.kind === 'user' ? caller.token?.expiresAt : caller.expiresAt)?.getTime();
    if (expiresAt !== undefined && expiresAt - Date.now() < MAX_TIMER_MS) {
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, expiresAt - Date.now()));
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    socket.on('disconnect', onDisconnect);
    socket.on('message:send', onSend);
    socket.on('sync', onSync);
    socket.on('sync:heads', onSyncHeads);
    socket.on('conversation:open', onOpen);
    socket.on('typing', onTyping);
    socket.on('read', onRead);
  });

  // Staff pushes are coalesced per turn of the event loop: an agent serving 25 busy chats gets one
  // frame with the messages of that turn instead of one frame (and one socket write) per message.
  // Customers get theirs at once; the chat client's per-conversation seq keeps both paths exact.
  const staffPushes = new Map<string, { to: string[]; except: string | undefined; messages: TMessage[] }>();
  let staffFlush: ReturnType<typeof setImmediate> | null = null;
  const flushStaff = () => {
    staffFlush = null;
    const batches = [...staffPushes.values()];
    staffPushes.clear();
    for (const { to, except, messages } of batches) {
      const target = except ? io.to(to).except(except) : io.to(to);
      if (messages.length === 1) target.emit('message:new', messages[0]!);
      else target.emit('message:batch', messages);
    }
  };
  const pushMessage = ({ orgId, message, conversation: c }: DomainEvents['message.created']) => {
    const origin = originSocket.get(originKey(message.conversationId, message.clientId));
    if (message.senderType === 'customer' && origin)
      io.to(rooms.customer(c.customerId)).except(origin).emit('message:new', message);
    else io.to(rooms.customer(c.customerId)).emit('message:new', message);
    const to = supervisorsOf(orgId, c.storeId);
    if (c.assigneeId) to.push(rooms.user(c.assigneeId));
    // Customer sockets are never in staff rooms: only an agent's own send needs excluding there.
    const except = message.senderType === 'customer' ? undefined : origin;
    const key = `${to.join('|')}|${except ?? ''}`;
    const pending = staffPushes.get(key);
    if (pending) pending.messages.push(message);
    else staffPushes.set(key, { to, except, messages: [message] });
    staffFlush ??= setImmediate(flushStaff);
  };
  bus.subscribe('message.created', pushMessage);
  bus.subscribe('message.redelivered', pushMessage);
  bus.subscribe('conversation.updated', ({ orgId, conversation: c, previousAssigneeId }) => {
    const to = [rooms.customer(c.customerId), ...supervisorsOf(orgId, c.storeId)];
    if (c.assigneeId) to.push(rooms.user(c.assigneeId));
    if (previousAssigneeId && previousAssigneeId !== c.assigneeId) to.push(rooms.user(previousAssigneeId));
    if (c.groupId) to.push(...groupOf(c.groupId, c.storeId));
    io.to(to).emit('conversation:updated', c);
  });
  bus.subscribe('typing.changed', ({ orgId, conversation: c, senderType, isTyping }) => {
    const to =
      senderType === 'customer'
        ? [...supervisorsOf(orgId, c.storeId), ...(c.assigneeId ? [rooms.user(c.assigneeId)] : [])]
        : [rooms.customer(c.customerId)];
    io.to(to).emit('typing', { conversationId: c.id, senderType, isTyping });
  });
  bus.subscribe('read.changed', ({ orgId, conversation: c, readerType, seq }) => {
    const to =
      readerType === 'agent'
        ? [rooms.customer(c.customerId)]
        : [...supervisorsOf(orgId, c.storeId), ...(c.assigneeId ? [rooms.user(c.assigneeId)] : [])];
    io.to(to).emit('read', { conversationId: c.id, readerType, seq });
  });
  bus.subscribe('queue.positions', ({ positions }) => {
    for (const { customerId, ...p } of positions) io.to(rooms.customer(customerId)).emit('queue:position', p);
  });
  bus.subscribe('routing.transfer_notice', ({ storeId, toUserId, toGroupId, notice }) => {
    const to = toUserId ? [rooms.user(toUserId)] : toGroupId ? groupOf(toGroupId, storeId) : null;
    if (to) io.to(to).emit('routing:transfer', notice);
  });
  // An agent's status goes to the supervisors of the agent's stores (rare: one lookup per change).
  bus.subscribe('agent.status_changed', async ({ orgId, userId, status }) => {
    const user = await s.accounts.repo.getUser(orgId, userId);
    const stores = user?.role === 'admin' ? [] : (user?.storeIds ?? []);
    io.to([rooms.orgSupervisors(orgId), rooms.user(userId), ...stores.map(rooms.storeSupervisors)]).emit(
      'agent:status',
      { userId, status },
    );
  });

  // Through the adapter: with Redis, the sockets on every instance are disconnected, not only ours.
  bus.subscribe('access.revoked', ({ userId, credentials }) => {
    const to = credentials === 'all' ? [rooms.user(userId)] : credentials.map(rooms.credential);
    if (to.length) io.in(to).disconnectSockets(true);
  });
  // Every socket of the customer: all were opened with tokens the revocation ended.
  bus.subscribe('visitor.revoked', ({ customerId }) => {
    io.in(rooms.customer(customerId)).disconnectSockets(true);
  });

  return {
    io,
    inFlight: () => inFlight,
    async close() {
      if (staffFlush) {
        clearImmediate(staffFlush);
        flushStaff();
      }
      await new Promise<void>((resolve) => io.close(() => resolve()));
      for (const r of redis) r.disconnect();
    },
  };
}
