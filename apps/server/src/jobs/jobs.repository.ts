import { type Database, queryRows, sql } from '@peakdesk/db';

export type JobRow = {
  id: number;
  key: string | null;
  kind: string;
  version: number;
  org_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  locked_until: Date | string;
};

export type DeadJobRow = {
  id: number;
  kind: string;
  version: number;
  org_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  last_error: string | null;
  created_at: Date | string;
  dead_at: Date | string | null;
};

export type NewJob = {
  key: string | null;
  kind: string;
  version: number;
  orgId: string | null;
  runAt: Date;
  payload: Record<string, unknown>;
};

const leaseIso = (lease: Date | string) => new Date(lease).toISOString();

/** Creates jobs in the caller's transaction; a keyed job that exists is moved (and un-leased, revived). */
export async function insertJobs(tx: Database, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const rows = JSON.stringify(
    jobs.map((j) => ({
      key: j.key,
      kind: j.kind,
      version: j.version,
      org_id: j.orgId,
      run_at: j.runAt.toISOString(),
      payload: j.payload,
    })),
  );
  await tx.execute(
    sql`INSERT INTO jobs (key, kind, version, org_id, run_at, payload)
        SELECT key, kind, version, org_id, run_at, payload FROM jsonb_to_recordset(${rows}::jsonb)
          AS t(key text, kind text, version int, org_id uuid, run_at timestamptz, payload jsonb)
        ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, version = EXCLUDED.version,
          org_id = EXCLUDED.org_id, run_at = EXCLUDED.run_at, payload = EXCLUDED.payload, status = 'pending',
          locked_until = NULL, attempts = 0, last_error = NULL, dead_at = NULL`,
  );
}

export async function deleteJobs(tx: Database, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.execute(
    sql`DELETE FROM jobs WHERE key = ANY(${`{${keys.map((k) => JSON.stringify(k)).join(',')}}`}::text[])`,
  );
}

/** The only file of the job runner that touches the database (besides the writers above). */
export function createJobsRepository(db: Database) {
  return {
    /** Leases due jobs of one kind (SKIP LOCKED: each runs once across instances). */
    async claim(kind: string, limit: number, leaseMs: number) {
      return queryRows<JobRow>(
        db,
        // Millisecond precision: the lease comes back as a JS Date and is compared for equality later.
        sql`UPDATE jobs SET locked_until = date_trunc('milliseconds', now() + ${leaseMs} * interval '1 millisecond'),
              attempts = attempts + 1
            WHERE id IN (SELECT id FROM jobs WHERE kind = ${kind} AND status = 'pending' AND run_at <= now()
                           AND (locked_until IS NULL OR locked_until < now())
                         ORDER BY run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            RETURNING id, key, kind, version, org_id, payload, attempts, locked_until`,
      );
    },
    /**
     * Frees every lease: only for a database one process owns (PGlite), where any lease found at
     * start was held by a process that died — its jobs run now instead of when the lease runs out.
     */
    async releaseLeases(): Promise<number> {
      const rows = await queryRows<{ id: number }>(
        db,
        sql`UPDATE jobs SET locked_until = NULL WHERE status = 'pending' AND locked_until IS NOT NULL RETURNING id`,
      );
      return rows.length;
    },
    /** Done: removed, unless re-scheduled meanwhile (which cleared the lease). One statement per batch. */
    async complete(done: { id: number; lease: Date | string }[]) {
      if (done.length === 0) return;
      const rows = JSON.stringify(done.map((d) => ({ id: d.id, lease: leaseIso(d.lease) })));
      await db.execute(
        sql`DELETE FROM jobs j USING jsonb_to_recordset(${rows}::jsonb) AS t(id bigint, lease timestamptz)
            WHERE j.id = t.id AND j.locked_until = t.lease`,
      );
    },
    async reschedule(id: number, lease: Date | string, runAt: Date) {
      await db.execute(
        sql`UPDATE jobs SET run_at = ${runAt.toISOString()}::timestamptz, locked_until = NULL, attempts = 0
            WHERE id = ${id} AND locked_until = ${leaseIso(lease)}::timestamptz`,
      );
    },
    async fail(id: number, lease: Date | string, error: string, delayMs: number, isDead: boolean) {
      await db.execute(
        sql`UPDATE jobs SET locked_until = NULL, last_error = ${error.slice(0, 2000)},
              run_at = now() + ${delayMs} * interval '1 millisecond',
              status = ${isDead ? 'dead' : 'pending'}, dead_at = ${isDead ? sql`now()` : sql`NULL`}
            WHERE id = ${id} AND locked_until = ${leaseIso(lease)}::timestamptz`,
      );
    },
    async get(key: string) {
      const rows = await queryRows<{
        key: string;
        kind: string;
        run_at: Date | string;
        status: string;
        attempts: number;
      }>(db, sql`SELECT key, kind, run_at, status, attempts FROM jobs WHERE key = ${key}`);
      return rows[0] ?? null;
    },
    async listDead(orgId: string, limit: number) {
      return queryRows<DeadJobRow>(
        db,
        sql`SELECT id, kind, version, org_id, payload, attempts, last_error, created_at, dead_at FROM jobs
            WHERE status = 'dead' AND org_id = ${orgId} ORDER BY dead_at DESC LIMIT ${limit}`,
      );
    },
    async replay(orgId: string, id: number): Promise<boolean> {
      const rows = await queryRows<{ id: number }>(
        db,
        sql`UPDATE jobs SET status = 'pending', attempts = 0, run_at = now(), locked_until = NULL, dead_at = NULL
            WHERE id = ${id} AND org_id = ${orgId} AND status = 'dead' RETURNING id`,
      );
      return rows.length > 0;
    },
    /** Due / pending / dead per kind, of one organisation (admin page) or of all (ops, tests). */
    async backlog(orgId?: string) {
      return queryRows<{ kind: string; due: number; pending: number; dead: number }>(
        db,
        sql`SELECT kind, count(*) FILTER (WHERE status = 'pending' AND run_at <= now())::int AS due,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'dead')::int AS dead
            FROM jobs WHERE ${orgId ? sql`org_id = ${orgId}` : sql`true`} GROUP BY kind ORDER BY kind`,
      );
    },
  };
}
