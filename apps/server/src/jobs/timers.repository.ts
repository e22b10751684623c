import { type Database, queryRows, sql } from '@peakdesk/db';

export type TimerRow = {
  id: number;
  key: string;
  kind: string;
  payload: Record<string, unknown>;
  locked_until: Date | string;
  attempts: number;
};

/** The only file of the timers that touches the database. */
export function createTimersRepository(db: Database) {
  return {
    /** Creates or moves a timer (one per key): a re-schedule also releases a lease held on the old one. */
    async upsert(t: { key: string; kind: string; runAt: Date; payload: Record<string, unknown> }) {
      await db.execute(
        sql`INSERT INTO timers (key, kind, run_at, payload) VALUES (${t.key}, ${t.kind}, ${t.runAt.toISOString()}::timestamptz, ${JSON.stringify(t.payload)}::jsonb)
            ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, run_at = EXCLUDED.run_at,
              payload = EXCLUDED.payload, locked_until = NULL, attempts = 0`,
      );
    },
    async cancel(key: string) {
      await db.execute(sql`DELETE FROM timers WHERE key = ${key}`);
    },
    /** Leases due timers; other instances skip the locked rows and later see the lease. */
    async claimDue(limit: number, leaseMs: number) {
      return queryRows<TimerRow>(
        db,
        // Millisecond precision: the lease is handed back as a JS Date and compared for equality later.
        sql`UPDATE timers SET locked_until = date_trunc('milliseconds', now() + ${leaseMs} * interval '1 millisecond'),
              attempts = attempts + 1
            WHERE id IN (SELECT id FROM timers WHERE run_at <= now() AND (locked_until IS NULL OR locked_until < now())
                         ORDER BY run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING id, key, kind, payload, locked_until, attempts`,
      );
    },
    /** Done: removed unless it was re-scheduled meanwhile (which cleared the lease). */
    async complete(id: number, lease: Date | string) {
      await db.execute(
        sql`DELETE FROM timers WHERE id = ${id} AND locked_until = ${new Date(lease).toISOString()}::timestamptz`,
      );
    },
    async reschedule(id: number, lease: Date | string, runAt: Date) {
      await db.execute(
        sql`UPDATE timers SET run_at = ${runAt.toISOString()}::timestamptz, locked_until = NULL, attempts = 0
            WHERE id = ${id} AND locked_until = ${new Date(lease).toISOString()}::timestamptz`,
      );
    },
    async get(key: string) {
      const rows = await queryRows<{ key: string; kind: string; run_at: Date | string }>(
        db,
        sql`SELECT key, kind, run_at FROM timers WHERE key = ${key}`,
      );
      return rows[0] ?? null;
    },
  };
}
