import { type Database, queryRows, sql } from '@peakdesk/db';

export type OutboxRow = {
  id: number;
  org_id: string | null;
  name: string;
  version: number;
  payload: unknown;
  created_at: Date | string;
};

export type DeliveryRow = OutboxRow & { attempts: number; processed: boolean };

export type DeadDeliveryRow = OutboxRow & {
  listener: string;
  attempts: number;
  last_error: string | null;
  dead_at: Date | string | null;
};

/** Writes events in the caller's transaction: they commit (or roll back) with the change. */
export async function insertOutboxEvents(
  tx: Database,
  events: { orgId: string | null; name: string; version: number; payload: unknown }[],
): Promise<void> {
  if (events.length === 0) return;
  const rows = JSON.stringify(
    events.map((e) => ({ org_id: e.orgId, name: e.name, version: e.version, payload: e.payload })),
  );
  await tx.execute(
    sql`INSERT INTO outbox (org_id, name, version, payload)
        SELECT org_id, name, version, payload
        FROM jsonb_to_recordset(${rows}::jsonb) AS t(org_id uuid, name text, version int, payload jsonb)`,
  );
}

/** The only file of the outbox that touches the database (besides the writers above). */
export function createOutboxRepository(db: Database) {
  return {
    /**
     * Takes committed events off the outbox (SKIP LOCKED: once across instances) and creates the
     * deliveries `route` chooses, in one transaction: a crash in between loses nothing.
     */
    async fanOut(
      limit: number,
      route: (e: OutboxRow) => string[],
    ): Promise<{ taken: number; listeners: Set<string> }> {
      return db.transaction(async (tx) => {
        const taken = await queryRows<OutboxRow>(
          tx as unknown as Database,
          sql`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
              RETURNING id, org_id, name, version, payload, created_at`,
        );
        const deliveries: { listener: string; e: OutboxRow }[] = [];
        for (const e of taken) for (const listener of route(e)) deliveries.push({ listener, e });
        if (deliveries.length > 0) {
          const rows = JSON.stringify(
            deliveries.map(({ listener, e }) => ({
              listener,
              event_id: e.id,
              org_id: e.org_id,
              name: e.name,
              version: e.version,
              payload: e.payload,
              created_at: e.created_at,
            })),
          );
          await tx.execute(
            sql`INSERT INTO outbox_deliveries (listener, event_id, org_id, name, version, payload, created_at)
                SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS t(listener text, event_id bigint, org_id uuid,
                  name text, version int, payload jsonb, created_at timestamptz)
                ON CONFLICT DO NOTHING`,
          );
        }
        return { taken: taken.length, listeners: new Set(deliveries.map((d) => d.listener)) };
      });
    },

    /** Leases a listener's due deliveries; other instances skip them until the lease runs out. */
    async claim(listener: string, limit: number, leaseMs: number) {
      return queryRows<DeliveryRow>(
        db,
        sql`UPDATE outbox_deliveries d SET locked_until = now() + ${leaseMs} * interval '1 millisecond',
              attempts = d.attempts + 1
            WHERE d.listener = ${listener} AND d.event_id IN (
              SELECT event_id FROM outbox_deliveries WHERE listener = ${listener} AND status = 'pending'
                AND run_at <= now() AND (locked_until IS NULL OR locked_until < now())
              ORDER BY run_at, event_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING d.event_id AS id, d.org_id, d.name, d.version, d.payload, d.created_at, d.attempts,
              EXISTS (SELECT 1 FROM outbox_processed p WHERE p.listener = d.listener AND p.event_id = d.event_id) AS processed`,
      );
    },

    /** Frees every lease (a database one process owns, at start: see the jobs repository). */
    async releaseLeases(): Promise<number> {
      const rows = await queryRows<{ event_id: number }>(
        db,
        sql`UPDATE outbox_deliveries SET locked_until = NULL
            WHERE status = 'pending' AND locked_until IS NOT NULL RETURNING event_id`,
      );
      return rows.length;
    },

    /** Handled: the delivery goes, the processed marker stays (a late duplicate is skipped). */
    async complete(listener: string, eventIds: number[]) {
      if (eventIds.length === 0) return;
      await db.execute(
        sql`WITH done AS (DELETE FROM outbox_deliveries WHERE listener = ${listener}
              AND event_id = ANY(${`{${eventIds.join(',')}}`}::bigint[]) RETURNING event_id)
            INSERT INTO outbox_processed (listener, event_id) SELECT ${listener}, event_id FROM done
            ON CONFLICT DO NOTHING`,
      );
    },

    /** Failed: retried after `delayMs`, or dead when this was the last attempt. */
    async fail(listener: string, eventId: number, error: string, delayMs: number, isDead: boolean) {
      await db.execute(
        sql`UPDATE outbox_deliveries SET locked_until = NULL, last_error = ${error.slice(0, 2000)},
              run_at = now() + ${delayMs} * interval '1 millisecond',
              status = ${isDead ? 'dead' : 'pending'}, dead_at = ${isDead ? sql`now()` : sql`NULL`}
            WHERE listener = ${listener} AND event_id = ${eventId}`,
      );
    },

    /** The exactly-once section's marker, in the handler's transaction; false when already there. */
    async mark(tx: Database, listener: string, eventId: number): Promise<boolean> {
      const rows = await queryRows<{ event_id: number }>(
        tx,
        sql`INSERT INTO outbox_processed (listener, event_id) VALUES (${listener}, ${eventId})
            ON CONFLICT DO NOTHING RETURNING event_id`,
      );
      return rows.length > 0;
    },

    async listDead(orgId: string, limit: number) {
      return queryRows<DeadDeliveryRow>(
        db,
        sql`SELECT listener, event_id AS id, org_id, name, version, payload, created_at, attempts, last_error, dead_at
            FROM outbox_deliveries WHERE status = 'dead' AND org_id = ${orgId}
            ORDER BY dead_at DESC LIMIT ${limit}`,
      );
    },

    /** A dead delivery of this organisation goes back to pending, with a fresh set of attempts. */
    async replay(orgId: string, listener: string, eventId: number): Promise<boolean> {
      const rows = await queryRows<{ event_id: number }>(
        db,
        sql`UPDATE outbox_deliveries SET status = 'pending', attempts = 0, run_at = now(), locked_until = NULL,
              dead_at = NULL
            WHERE listener = ${listener} AND event_id = ${eventId} AND org_id = ${orgId} AND status = 'dead'
            RETURNING event_id`,
      );
      return rows.length > 0;
    },

    /**
     * What is waiting: undelivered outbox rows and pending / dead deliveries per listener (the admin
     * dead-letter page for one organisation; everything when `orgId` is omitted: ops, tests).
     */
    async backlog(orgId?: string) {
      const own = orgId ? sql`org_id = ${orgId}` : sql`true`;
      const [outbox] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM outbox WHERE ${own}`,
      );
      const per = await queryRows<{ listener: string; pending: number; dead: number }>(
        db,
        sql`SELECT listener, count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'dead')::int AS dead
            FROM outbox_deliveries WHERE ${own} GROUP BY listener ORDER BY listener`,
      );
      return { outbox: outbox?.n ?? 0, listeners: per };
    },

    /** Markers are only needed while a duplicate can still arrive (lease, replay); old ones go. */
    async pruneProcessed(olderThanMs: number) {
      await db.execute(
        sql`DELETE FROM outbox_processed WHERE processed_at < now() - ${olderThanMs} * interval '1 millisecond'`,
      );
    },
  };
}
