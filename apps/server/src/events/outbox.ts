import { type DurableEventName, type DurableEventPayload, durableEvents } from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import type { Logger } from 'pino';
import { backoffMs, createLanePoller, createWorkLane, mapBounded, type WorkLane } from '../jobs/work-lane.ts';
import { createOutboxRepository, insertOutboxEvents, type OutboxRow } from './outbox.repository.ts';

/**
 * Transactional outbox. Writers put events in the transaction of their change (`writeEvents`, or
 * SQL of their own such as the message insert); after commit they nudge the dispatcher, and every
 * instance also polls. The dispatcher hands each committed event to the named durable listeners
 * that want it (one delivery row each) and every listener drains its own deliveries in its own
 * lane: at least once, retried with exponential backoff, dead after `maxAttempts` (admin list,
 * replay). Listeners make their effect exactly-once with `ctx.once(tx => …)`, which commits a
 * processed marker (listener, event id) with the effect.
 */
export type OutboxEvent<N extends DurableEventName = DurableEventName> = {
  [K in N]: {
    id: number;
    name: K;
    version: number;
    orgId: string | null;
    payload: DurableEventPayload<K>;
    createdAt: Date;
    /** 1 on the first delivery. */
    attempt: number;
  };
}[N];

export type ListenerContext = {
  /**
   * Runs `fn` in a transaction that also writes this listener's processed marker for the event;
   * returns false without running it when the event was processed already (a redelivery).
   */
  once(fn: (tx: Database) => Promise<void>): Promise<boolean>;
};

export type DurableListener<N extends DurableEventName = DurableEventName> = {
  /** Stable name: deliveries, markers and dead letters are kept under it. */
  name: string;
  events: readonly N[];
  /** Cheap filter at hand-over time: an event it refuses gets no delivery row at all. */
  accepts?: (event: { name: N; payload: DurableEventPayload<N> }) => boolean;
  handle(event: OutboxEvent<N>, ctx: ListenerContext): Promise<void>;
  /** Attempts before the event goes to the dead-letter list (default 5). */
  maxAttempts?: number;
  /** Handlers of this listener running at once on one instance (default 8). */
  concurrency?: number;
};

export type OutboxOptions = {
  db: Database;
  logger: Logger;
  /** Poll fallback (other instances' events, retries coming due); commits on this instance nudge. */
  pollMs: number;
  batchSize?: number;
  leaseMs?: number | undefined;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
};

/** Writes durable events in `tx` with their current version (validated: a bad payload fails the write). */
export async function writeEvents(
  tx: Database,
  events: { [N in DurableEventName]: { name: N; payload: DurableEventPayload<N> } }[DurableEventName][],
): Promise<void> {
  await insertOutboxEvents(
    tx,
    events.map((e) => {
      const def = durableEvents[e.name];
      const payload = def.schema.parse(e.payload) as { orgId?: string };
      return { orgId: payload.orgId ?? null, name: e.name, version: def.version, payload };
    }),
  );
}

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(o: OutboxOptions) {
  const repo = createOutboxRepository(o.db);
  const batchSize = o.batchSize ?? 200;
  const leaseMs = o.leaseMs ?? 30_000;
  const baseBackoff = o.backoffMs ?? 1000;
  const maxBackoff = o.maxBackoffMs ?? 5 * 60_000;
  const listeners = new Map<string, { def: DurableListener; lane: WorkLane }>();
  const byEvent = new Map<string, DurableListener[]>();

  const logError = (what: string) => (error: unknown) => o.logger.error({ err: error }, what);

  function route(e: OutboxRow): string[] {
    const out: string[] = [];
    for (const l of byEvent.get(e.name) ?? []) {
      try {
        if (!l.accepts || l.accepts({ name: e.name as never, payload: e.payload as never })) out.push(l.name);
      } catch {
        // A filter that throws on an odd payload: deliver, and let the handler's parse report it.
        out.push(l.name);
      }
    }
    return out;
  }

  const fanOutLane = createWorkLane(async () => {
    const { taken, listeners: hit } = await repo.fanOut(batchSize, route);
    for (const name of hit) listeners.get(name)?.lane.wake();
    return { claimed: taken, full: taken === batchSize };
  }, logError('outbox hand-over failed'));

  function parse(row: OutboxRow & { attempts: number }): OutboxEvent {
    const def = durableEvents[row.name as DurableEventName];
    if (!def) throw new Error(`unknown event ${row.name}`);
    if (def.version !== row.version)
      throw new Error(`event ${row.name} version ${row.version} is not known (current ${def.version})`);
    return {
      id: Number(row.id),
      name: row.name as DurableEventName,
      version: row.version,
      orgId: row.org_id,
      payload: def.schema.parse(row.payload),
      createdAt: new Date(row.created_at),
      attempt: row.attempts,
    } as OutboxEvent;
  }

  function laneFor(def: DurableListener): WorkLane {
    const maxAttempts = def.maxAttempts ?? 5;
    return createWorkLane(
      async () => {
        const rows = await repo.claim(def.name, batchSize, leaseMs);
        const done: number[] = [];
        await mapBounded(rows, def.concurrency ?? 8, async (row) => {
          const id = Number(row.id);
          if (row.processed) {
            done.push(id);
            return;
          }
          try {
            const event = parse(row);
            await def.handle(event, {
              once: (fn) =>
                o.db.transaction(async (tx) => {
                  const db = tx as unknown as Database;
                  if (!(await repo.mark(db, def.name, id))) return false;
                  await fn(db);
                  return true;
                }),
            });
            done.push(id);
          } catch (error) {
            const isDead = row.attempts >= maxAttempts;
            const message = error instanceof Error ? error.message : String(error);
            o.logger[isDead ? 'error' : 'warn'](
              { err: error, listener: def.name, event: row.name, eventId: id, attempt: row.attempts },
              isDead ? 'listener gave up: event is dead-lettered' : 'listener failed; will retry',
            );
            await repo.fail(def.name, id, message, backoffMs(row.attempts, baseBackoff, maxBackoff), isDead);
          }
        });
        await repo.complete(def.name, done);
        return { claimed: rows.length, full: rows.length === batchSize };
      },
      logError(`outbox listener ${def.name} failed`),
    );
  }

  const poller = createLanePoller(o.pollMs, () => [
    fanOutLane,
    ...[...listeners.values()].map((l) => l.lane),
  ]);

  return {
    repo,
    /** Registers a durable listener (before `start`, so no event is handed over without it). */
    listen<N extends DurableEventName>(def: DurableListener<N>) {
      if (listeners.has(def.name)) throw new Error(`listener ${def.name} registered twice`);
      const d = def as unknown as DurableListener;
      listeners.set(def.name, { def: d, lane: laneFor(d) });
      for (const e of def.events) byEvent.set(e, [...(byEvent.get(e) ?? []), d]);
    },
    /** After a commit that wrote events: hand them over now instead of at the next poll. */
    nudge() {
      if (!poller.isStopped()) fanOutLane.wake();
    },
    /** Runs until nothing is due (tests; events whose retry is not due yet stay). */
    async drain() {
      for (let i = 0; i < 3; i++) {
        await fanOutLane.drain();
        await Promise.all([...listeners.values()].map((l) => l.lane.drain()));
      }
    },
    /**
     * A dead delivery of this organisation goes back to pending with a fresh set of attempts and its
     * listener's lane runs now; false when there is no such dead delivery (another organisation's too).
     */
    async replay(orgId: string, listener: string, eventId: number): Promise<boolean> {
      const isReplayed = await repo.replay(orgId, listener, eventId);
      if (isReplayed && !poller.isStopped()) listeners.get(listener)?.lane.wake();
      return isReplayed;
    },
    listenerNames: () => [...listeners.keys()],
    /** At start on a database this process owns alone (PGlite): a dead process's claims run now. */
    releaseLeases: () => repo.releaseLeases(),
    start: poller.start,
    stop: poller.stop,
  };
}
