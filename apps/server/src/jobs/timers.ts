import type { Database } from '@peakdesk/db';
import type { Logger } from 'pino';
import { createTimersRepository } from './timers.repository.ts';

/**
 * Durable timers in PostgreSQL. Definitions are data (kind → handler); every instance polls, leases
 * due rows with SKIP LOCKED and runs them, so a timer fires once across instances and survives
 * restarts. A handler may return a new time to run again (e.g. "check again when the reply is due").
 */
export type TimerHandler = (payload: Record<string, unknown>, key: string) => Promise<Date | undefined>;

export type Timers = ReturnType<typeof createTimers>;

const LEASE_MS = 30_000;
const MAX_ATTEMPTS = 5;

export function createTimers(deps: { db: Database; logger: Logger; pollMs: number }) {
  const repo = createTimersRepository(deps.db);
  const handlers = new Map<string, TimerHandler>();
  let interval: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | undefined;

  async function runDueOnce(): Promise<number> {
    const due = await repo.claimDue(50, LEASE_MS);
    for (const t of due) {
      const handler = handlers.get(t.kind);
      try {
        if (!handler) throw new Error(`no handler for timer kind ${t.kind}`);
        const again = await handler(t.payload, t.key);
        if (again) await repo.reschedule(t.id, t.locked_until, again);
        else await repo.complete(t.id, t.locked_until);
      } catch (error) {
        deps.logger.error({ err: error, timer: t.key, attempts: t.attempts }, 'timer failed');
        // Left leased: retried after the lease, dropped after a few attempts.
        if (t.attempts >= MAX_ATTEMPTS) await repo.complete(t.id, t.locked_until);
      }
    }
    return due.length;
  }

  return {
    register(kind: string, handler: TimerHandler) {
      handlers.set(kind, handler);
    },
    schedule(key: string, kind: string, runAt: Date, payload: Record<string, unknown> = {}) {
      return repo.upsert({ key, kind, runAt, payload });
    },
    cancel: (key: string) => repo.cancel(key),
    get: (key: string) => repo.get(key),
    /** Runs everything due now (tests call it instead of waiting for the poll). */
    async runDue(): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await runDueOnce();
        total += n;
        if (n < 50) return total;
      }
    },
    start() {
      interval ??= setInterval(() => {
        if (running) return;
        running = runDueOnce()
          .catch((error: unknown) => {
            deps.logger.error({ err: error }, 'timer poll failed');
            return 0;
          })
          .finally(() => {
            running = undefined;
          });
      }, deps.pollMs);
      interval.unref();
    },
    async stop() {
      clearInterval(interval);
      interval = undefined;
      await running?.catch(() => 0);
    },
  };
}
