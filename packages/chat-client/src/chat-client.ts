import type {
  TAck,
  TClientToServerEvents,
  TConversation,
  TConversationHead,
  TMessage,
  TSenderType,
  TServerToClientEvents,
} from '@peakdesk/contracts';
import { io, type Socket } from 'socket.io-client';

/**
 * The delivery protocol, in one place, for the widget, the workspace, the simulator and tests:
 * - outgoing: every message gets a client id and waits in an outbox until the server acknowledges
 *   it; after a reconnect the outbox is resent (the server stores each client id once);
 * - incoming: messages carry a per-conversation sequence number; a message is delivered only if its
 *   seq is above the last one delivered, and a jump triggers a sync of what was missed, so every
 *   message reaches the listener exactly once, in order, across reconnects;
 * - periodic resync (`resyncIntervalMs`): a push can be lost without a reconnect (the instance that
 *   stored a message died before pushing it, and the sender's resend went elsewhere); every interval
 *   the client asks for the last seq of what it watches (one small request) and syncs only the
 *   conversations that moved past what it has.
 */
export type ChatClientOptions = {
  url: string;
  auth: { visitorToken?: string; token?: string };
  /** Default ['websocket']; browsers behind odd proxies may need polling first. */
  transports?: ('websocket' | 'polling')[];
  ackTimeoutMs?: number;
  /** Ask for the watched conversations' last seq this often and sync those behind; 0 (default) = never. */
  resyncIntervalMs?: number;
};

export type SendRequest =
  | { conversationId: string; type: 'text'; body: string; clientId?: string }
  | { conversationId: string; type: 'image'; attachmentId: string; body?: string; clientId?: string };

export class SendError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

type Events = {
  message: (m: TMessage) => void;
  conversation: (c: TConversation) => void;
  typing: (e: { conversationId: string; senderType: TSenderType; isTyping: boolean }) => void;
  read: (e: { conversationId: string; readerType: 'customer' | 'agent'; seq: number }) => void;
  connection: (state: 'connected' | 'disconnected') => void;
  error: (e: { code: string; message: string }) => void;
};

type Pending = {
  req: SendRequest & { clientId: string };
  resolve: (m: TMessage) => void;
  reject: (e: Error) => void;
  internalErrors: number;
};

/** `internal` may be passing (a restart, a deadlock retry): resend a few times, then give up on it. */
const MAX_INTERNAL_RETRIES = 10;

// Errors that a resend cannot fix: drop the message and tell the caller.
const FINAL_ERRORS = new Set([
  'invalid_input',
  'forbidden',
  'conversation_not_found',
  'invalid_attachment',
  'not_found',
]);

export function newClientId(prefix = 'm'): string {
  const c = globalThis.crypto;
  const id =
    c && typeof c.randomUUID === 'function'
      ? c.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${id}`;
}

export class ChatClient {
  readonly socket: Socket<TServerToClientEvents, TClientToServerEvents>;
  private readonly listeners: { [K in keyof Events]: Set<Events[K]> } = {
    message: new Set(),
    conversation: new Set(),
    typing: new Set(),
    read: new Set(),
    connection: new Set(),
    error: new Set(),
  };
  private readonly lastSeq = new Map<string, number>();
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly resyncWanted = new Set<string>();
  private readonly outbox: Pending[] = [];
  private flushing = false;
  private closed = false;
  private readonly ackTimeoutMs: number;
  private readonly resyncTimer: ReturnType<typeof setInterval> | null = null;
  private checkingHeads = false;
  /** Counters for tests and the simulator: how often the protocol had to repair something. */
  readonly stats = { sent: 0, acked: 0, resent: 0, duplicatesDropped: 0, syncs: 0, headChecks: 0 };

  constructor(opts: ChatClientOptions) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.socket = io(opts.url, {
      path: '/socket.io',
      auth: opts.auth,
      transports: opts.transports ?? ['websocket'],
      withCredentials: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2_000,
      randomizationFactor: 0.5,
    });
    this.socket.on('connect', () => {
      this.emit('connection', 'connected');
      void this.resume();
    });
    this.socket.on('disconnect', (reason) => {
      this.emit('connection', 'disconnected');
      // The server drops sockets whose access changed (role, stores) or ended (logout, password
      // change): socket.io does not reconnect after that on its own. Reconnect once; an ended
      // session is refused at the handshake (`connect_error` unauthenticated) and stays down.
      if (reason === 'io server disconnect' && !this.closed) setTimeout(() => this.socket.connect(), 250);
    });
    this.socket.on('connect_error', (e) => this.emit('error', { code: 'connect_error', message: e.message }));
    this.socket.on('message:new', (m) => this.receive(m));
    this.socket.on('message:batch', (ms) => {
      for (const m of ms) this.receive(m);
    });
    this.socket.on('conversation:updated', (c) => this.emit('conversation', c));
    this.socket.on('typing', (e) => this.emit('typing', e));
    this.socket.on('read', (e) => this.emit('read', e));
    if (opts.resyncIntervalMs && opts.resyncIntervalMs > 0) {
      const timer = setInterval(() => void this.checkHeads(), opts.resyncIntervalMs);
      // In Node (simulator, tests) the timer alone must not keep the process alive.
      (timer as { unref?: () => void }).unref?.();
      this.resyncTimer = timer;
    }
  }

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Track a conversation from `afterSeq` on: missed messages are fetched now and after every reconnect. */
  watch(conversationId: string, afterSeq = 0): Promise<void> {
    const known = this.lastSeq.get(conversationId);
    if (known === undefined || afterSeq > known) this.lastSeq.set(conversationId, afterSeq);
    return this.sync(conversationId);
  }

  unwatch(conversationId: string): void {
    this.lastSeq.delete(conversationId);
  }

  lastSeqOf(conversationId: string): number | undefined {
    return this.lastSeq.get(conversationId);
  }

  /** Queues a message; resolves with the stored message once the server acknowledged it. */
  send(req: SendRequest): Promise<TMessage> {
    const withId = { ...req, clientId: req.clientId ?? newClientId() } as SendRequest & { clientId: string };
    return new Promise<TMessage>((resolve, reject) => {
      this.outbox.push({ req: withId, resolve, reject, internalErrors: 0 });
      void this.flush();
    });
  }

  pendingCount(): number {
    return this.outbox.length;
  }

  /** Customers only: their active conversation, or a new one in the store's queue. */
  /** `firstMessage`: the text about to be sent, so the router's keyword rules can see it. */
  async openConversation(
    entry: 'store_page' | 'order_page' | 'product_page' = 'store_page',
    firstMessage?: string,
  ): Promise<TConversation> {
    const r = await this.request<TConversation>('conversation:open', { entry, firstMessage });
    if (!this.lastSeq.has(r.id)) this.lastSeq.set(r.id, 0);
    void this.sync(r.id);
    return r;
  }

  typing(conversationId: string, isTyping: boolean): void {
    if (this.socket.connected) this.socket.emit('typing', { conversationId, isTyping });
  }

  markRead(conversationId: string, seq: number): void {
    if (this.socket.connected) this.socket.emit('read', { conversationId, seq }, () => {});
  }

  close(): void {
    this.closed = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.socket.close();
    for (const p of this.outbox.splice(0))
      p.reject(new SendError('closed', 'client closed before the message was acknowledged'));
  }

  private emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const l of this.listeners[event]) (l as (...a: Parameters<Events[K]>) => void)(...args);
  }

  private receive(m: TMessage): void {
    const last = this.lastSeq.get(m.conversationId);
    if (last === undefined) {
      // First sight of a conversation (e.g. newly assigned): fetch it from the start.
      this.lastSeq.set(m.conversationId, 0);
      void this.sync(m.conversationId);
      return;
    }
    if (m.seq <= last) {
      this.stats.duplicatesDropped++;
      return;
    }
    if (m.seq === last + 1 && !this.syncing.has(m.conversationId)) {
      this.lastSeq.set(m.conversationId, m.seq);
      this.emit('message', m);
      return;
    }
    // A gap (or a sync already running): let sync deliver everything in order.
    void this.sync(m.conversationId);
  }

  private sync(conversationId: string): Promise<void> {
    const running = this.syncing.get(conversationId);
    if (running) {
      // Coalesce: one more pass after the running one covers everything that arrived meanwhile.
      this.resyncWanted.add(conversationId);
      return running;
    }
    const p = (async () => {
      if (!this.socket.connected) return;
      this.stats.syncs++;
      for (;;) {
        const after = this.lastSeq.get(conversationId) ?? 0;
        const page = await this.request<{ messages: TMessage[]; hasMore: boolean }>('sync', {
          conversationId,
          afterSeq: after,
        });
        for (const m of page.messages) {
          const last = this.lastSeq.get(conversationId) ?? 0;
          if (m.seq <= last) continue;
          this.lastSeq.set(conversationId, m.seq);
          this.emit('message', m);
        }
        if (!page.hasMore) break;
      }
    })()
      .catch((e: unknown) => {
        this.emit('error', { code: 'sync_failed', message: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => {
        this.syncing.delete(conversationId);
        if (this.resyncWanted.delete(conversationId)) void this.sync(conversationId);
      });
    this.syncing.set(conversationId, p);
    return p;
  }

  /** One round of the periodic resync: sync the watched conversations the server is ahead on. */
  private async checkHeads(): Promise<void> {
    if (this.checkingHeads || this.closed || !this.socket.connected || this.lastSeq.size === 0) return;
    this.checkingHeads = true;
    try {
      const ids = [...this.lastSeq.keys()];
      for (let i = 0; i < ids.length; i += 500) {
        this.stats.headChecks++;
        const heads = await this.request<TConversationHead[]>('sync:heads', {
          conversationIds: ids.slice(i, i + 500),
        });
        for (const h of heads) {
          const last = this.lastSeq.get(h.conversationId);
          if (last !== undefined && h.lastSeq > last) void this.sync(h.conversationId);
        }
      }
    } catch (e) {
      this.emit('error', { code: 'sync_failed', message: e instanceof Error ? e.message : String(e) });
    } finally {
      this.checkingHeads = false;
    }
  }

  private async resume(): Promise<void> {
    await Promise.all([...this.lastSeq.keys()].map((id) => this.sync(id)));
    void this.flush();
  }

  /** Sends the outbox one message at a time, so a sender's messages are stored in the order written. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0 && this.socket.connected && !this.closed) {
        const head = this.outbox[0]!;
        this.stats.sent++;
        let result: TAck<TMessage>;
        try {
          result = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('message:send', head.req);
        } catch {
          // No ack in time: the message may or may not be stored. Resend; the server deduplicates.
          this.stats.resent++;
          continue;
        }
        if (result.ok) {
          this.outbox.shift();
          this.stats.acked++;
          head.resolve(result.data);
          this.receive(result.data);
        } else if (FINAL_ERRORS.has(result.error.code)) {
          this.outbox.shift();
          head.reject(new SendError(result.error.code, result.error.message));
        } else if (result.error.code === 'internal' && ++head.internalErrors >= MAX_INTERNAL_RETRIES) {
          // A server fault that persists must not block every later message behind this one.
          this.outbox.shift();
          head.reject(new SendError(result.error.code, result.error.message));
        } else {
          this.stats.resent++;
          await new Promise((r) => setTimeout(r, 300));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async request<T>(event: 'sync' | 'sync:heads' | 'conversation:open', payload: unknown): Promise<T> {
    const r = (await this.socket.timeout(this.ackTimeoutMs).emitWithAck(event, payload)) as TAck<T>;
    if (!r.ok) throw new SendError(r.error.code, r.error.message);
    return r.data;
  }
}
