import type { Database } from '@peakdesk/db';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { createJobsRepository, deleteJobs, insertJobs } from './jobs.repository.ts';
import { backoffMs, createLanePoller, createWorkLane, mapBounded, type WorkLane } from './work-lane.ts';

/**
 * Jobs as data. A definition names a kind (id + version), the zod schema of its payload and the
 * handler. Jobs are rows created in the transaction of the change that needs them
 * (`jobs.scheduleIn(tx, def, …)`); every instance claims due rows per kind (SKIP LOCKED, under a
 * lease) in its own lane with bounded concurrency, so a flood of one kind (10k abandon timers after a
 * promotion burst) never waits in front of another (max wait, no reply). A failing job is retried
 * with exponential backoff and after `maxAttempts` stays `dead` (admin dead-letter list, replay).
 * A handler may return a time to run again (e.g. "check again when the reply is due").
 */
export type JobContext = { key: string | null; orgId: string | null; attempt: number };

/** What scheduling needs to know of a kind: catalogued apart from the handler (docs "Job catalogue"). */
export type JobKind<S extends z.ZodType = z.ZodType> = {
  id: string;
  version: number;
  payload: S;
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = JobKind<S> & {
  /** Resolves to a Date to run again at that time; to anything else when done. */
  handle(payload: z.infer<S>, ctx: JobContext): Promise<unknown>;
  /** Handlers of this kind running at once on one instance (default 8). */
  concurrency?: number;
  /** Jobs claimed per round trip (default 200). */
  batchSize?: number;
  maxAttempts?: number;
};

export const defineJob = <S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> => def;

export type ScheduleOptions<S extends z.ZodType> = {
  /** One job per key: scheduling a key again moves it (timers); omit for one-off jobs. */
  key?: string;
  runAt: Date;
  payload: z.input<S>;
  orgId?: string | null;
};

export type Jobs = ReturnType<typeof createJobs>;

export function createJobs(o: {
  db: Database;
  logger: Logger;
  pollMs: number;
  leaseMs?: number | undefined;
  backoffMs?: number;
  maxBackoffMs?: number;
}) {
  const repo = createJobsRepository(o.db);
  const leaseMs = o.leaseMs ?? 60_000;
  const baseBackoff = o.backoffMs ?? 2000;
  const maxBackoff = o.maxBackoffMs ?? 10 * 60_000;
  const kinds = new Map<string, { def: JobDefinition; lane: WorkLane }>();

  function laneFor(def: JobDefinition): WorkLane {
    const batch = def.batchSize ?? 200;
    const maxAttempts = def.maxAttempts ?? 5;
    return createWorkLane(
      async () => {
        const rows = await repo.claim(def.id, batch, leaseMs);
        const done: { id: number; lease: Date | string }[] = [];
        await mapBounded(rows, def.concurrency ?? 8, async (job) => {
          try {
            if (job.version !== def.version)
              throw new Error(`job ${def.id} version ${job.version} is not known (current ${def.version})`);
            const again = await def.handle(def.payload.parse(job.payload), {
              key: job.key,
              orgId: job.org_id,
              attempt: job.attempts,
            });
            if (again instanceof Date) await repo.reschedule(job.id, job.locked_until, again);
            else done.push({ id: job.id, lease: job.locked_until });
          } catch (error) {
            const isDead = job.attempts >= maxAttempts;
            o.logger[isDead ? 'error' : 'warn'](
              { err: error, job: def.id, key: job.key, id: job.id, attempt: job.attempts },
              isDead ? 'job gave up: dead-lettered' : 'job failed; will retry',
            );
            const message = error instanceof Error ? error.message : String(error);
            await repo.fail(
              job.id,
              job.locked_until,
              message,
              backoffMs(job.attempts, baseBackoff, maxBackoff),
              isDead,
            );
          }
        });
        await repo.complete(done);
        return { claimed: rows.length, full: rows.length === batch };
      },
      (error) => o.logger.error({ err: error, job: def.id }, 'job lane failed'),
    );
  }

  const poller = createLanePoller(o.pollMs, () => [...kinds.values()].map((k) => k.lane));

  function toRow<S extends z.ZodType>(def: JobKind<S>, opts: ScheduleOptions<S>) {
    return {
      key: opts.key ?? null,
      kind: def.id,
      version: def.version,
      orgId: opts.orgId ?? null,
      runAt: opts.runAt,
      payload: def.payload.parse(opts.payload) as Record<string, unknown>,
    };
  }

  return {
    repo,
    register<S extends z.ZodType>(def: JobDefinition<S>) {
      if (kinds.has(def.id)) throw new Error(`job kind ${def.id} registered twice`);
      kinds.set(def.id, {
        def: def as unknown as JobDefinition,
        lane: laneFor(def as unknown as JobDefinition),
      });
    },
    /** Creates (or moves, by key) a job inside the caller's transaction: it exists iff the change committed. */
    async scheduleIn<S extends z.ZodType>(tx: Database, def: JobKind<S>, opts: ScheduleOptions<S>) {
      await insertJobs(tx, [toRow(def, opts)]);
    },
    /** Outside a transaction (a change that is one statement, or tests). */
    async schedule<S extends z.ZodType>(def: JobKind<S>, opts: ScheduleOptions<S>) {
      await insertJobs(o.db, [toRow(def, opts)]);
    },
    cancelIn: (tx: Database, ...keys: string[]) => deleteJobs(tx, keys),
    cancel: (...keys: string[]) => deleteJobs(o.db, keys),
    get: (key: string) => repo.get(key),
    /** After a commit that created a job due now: run it without waiting for the poll. */
    nudge(kind?: string) {
      if (poller.isStopped()) return;
      if (kind) kinds.get(kind)?.lane.wake();
      else poller.wakeAll();
    },
    /** A dead job of this organisation runs again (fresh attempts, now); false when there is none. */
    async replay(orgId: string, id: number): Promise<boolean> {
      const isReplayed = await repo.replay(orgId, id);
      if (isReplayed && !poller.isStopped()) poller.wakeAll();
      return isReplayed;
    },
    kindNames: () => [...kinds.keys()],
    /** At start on a database this process owns alone (PGlite): a dead process's claims run now. */
    releaseLeases: () => repo.releaseLeases(),
    /** Runs everything due now, every kind (tests call it instead of waiting for the poll). */
    async runDue(): Promise<void> {
      await Promise.all([...kinds.values()].map((k) => k.lane.drain()));
    },
    start: poller.start,
    stop: poller.stop,
  };
}
