import type { TDeadLetter, TDeadLetterBacklog } from '@peakdesk/contracts';
import { type Caller, requireRole } from '../http/caller.ts';
import { notFound } from '../http/domain-error.ts';
import type { DeadJobRow } from '../jobs/jobs.repository.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { DeadDeliveryRow } from './outbox.repository.ts';
import type { Outbox } from './outbox.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function eventLetter(r: DeadDeliveryRow): TDeadLetter {
  return {
    kind: 'event',
    id: String(r.id),
    listener: r.listener,
    name: r.name,
    version: r.version,
    attempts: r.attempts,
    lastError: r.last_error,
    payload: r.payload,
    createdAt: iso(r.created_at)!,
    deadAt: iso(r.dead_at),
  };
}

function jobLetter(r: DeadJobRow): TDeadLetter {
  return {
    kind: 'job',
    id: String(r.id),
    listener: null,
    name: r.kind,
    version: r.version,
    attempts: r.attempts,
    lastError: r.last_error,
    payload: r.payload,
    createdAt: iso(r.created_at)!,
    deadAt: iso(r.dead_at),
  };
}

/**
 * Dead letters for admins: outbox deliveries a listener gave up on and jobs whose last attempt
 * failed, of the caller's organisation only (rows without an organisation are ops' business), with
 * the per-listener / per-kind backlog, and replay of one row. Another organisation's row is not
 * found, never forbidden: its existence is not told.
 */
export function createDeadLettersService(d: { outbox: Outbox; jobs: Jobs }) {
  const admin = (caller: Caller) => requireRole(caller, 'admin');
  return {
    async list(caller: Caller, q: { kind?: 'event' | 'job' | undefined; limit: number }) {
      const { orgId } = admin(caller);
      const [events, jobs] = await Promise.all([
        q.kind === 'job' ? [] : d.outbox.repo.listDead(orgId, q.limit),
        q.kind === 'event' ? [] : d.jobs.repo.listDead(orgId, q.limit),
      ]);
      const items = [...events.map(eventLetter), ...jobs.map(jobLetter)];
      items.sort((a, b) => (b.deadAt ?? '').localeCompare(a.deadAt ?? ''));
      return { items: items.slice(0, q.limit) };
    },

    /** Every listener and job kind registered on this instance, with zeros where nothing waits. */
    async backlog(caller: Caller): Promise<TDeadLetterBacklog> {
      const { orgId } = admin(caller);
      const [events, jobs] = await Promise.all([d.outbox.repo.backlog(orgId), d.jobs.repo.backlog(orgId)]);
      const listeners = new Map(
        d.outbox.listenerNames().map((l) => [l, { listener: l, pending: 0, dead: 0 }]),
      );
      for (const l of events.listeners) listeners.set(l.listener, l);
      const kinds = new Map(d.jobs.kindNames().map((k) => [k, { kind: k, due: 0, pending: 0, dead: 0 }]));
      for (const k of jobs) kinds.set(k.kind, k);
      const byName = <T>(m: Map<string, T>) =>
        [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
      return { outbox: events.outbox, listeners: byName(listeners), jobs: byName(kinds) };
    },

    async replayEvent(caller: Caller, listener: string, eventId: string) {
      const { orgId } = admin(caller);
      if (!(await d.outbox.replay(orgId, listener, Number(eventId)))) throw notFound('dead_letter');
    },

    async replayJob(caller: Caller, id: string) {
      const { orgId } = admin(caller);
      if (!(await d.jobs.replay(orgId, Number(id)))) throw notFound('dead_letter');
    },
  };
}
