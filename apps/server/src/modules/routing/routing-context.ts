import { ZId } from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DomainEvents, EventBus } from '../../events/event-bus.ts';
import type { Outbox } from '../../events/outbox.ts';
import type { UserCaller } from '../../http/caller.ts';
import { assertInScope, scopeOf } from '../../http/scope.ts';
import type { JobKind, Jobs, ScheduleOptions } from '../../jobs/jobs.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type Fact, recordFacts } from '../facts/facts.service.ts';
import type { PresenceEvent } from './presence-machine.ts';
import { createQueuePositions, type QueuePositions } from './queue-positions.ts';
import {
  applyPresence,
  createRoutingRepository,
  type PresenceChange,
  type RoutingRepository,
} from './routing.repository.ts';

export type Assignment = { conversationId: string; agentId: string; agentName: string };

/** What routing needs from chat, passed in so routing never touches chat's tables for writes it owns. */
export type RoutingNotifier = {
  systemMessage(conversationId: string, body: string): Promise<unknown>;
  conversationChanged(conversationId: string, previousAssigneeId: string | null): Promise<unknown>;
};
/** The "buyer has an open ticket" hook; the tickets module will provide its own. */
export type OpenTicketCheck = (customerId: string) => Promise<boolean>;

export type RoutingConfig = {
  /** An online/paused agent with no socket on any instance this long becomes away. */
  agentGraceSeconds: number;
  /** A queued customer with no socket this long has abandoned. */
  abandonGraceSeconds: number;
  /** How often presence is refreshed and stale agents are swept. */
  heartbeatMs: number;
};

export type RoutingServiceDeps = {
  db: Database;
  bus: EventBus;
  jobs: Jobs;
  outbox: Pick<Outbox, 'nudge'>;
  audit: AuditService;
  logger: Logger;
  config: RoutingConfig;
  notify: () => RoutingNotifier;
  openTicketCheck?: OpenTicketCheck;
};

/**
 * Routing's job kinds (docs/architecture.md "Job catalogue"). Keyed per conversation / customer, so
 * scheduling again moves the one job; created in the transaction of the change that needs them.
 */
export const JOB = {
  /** The assigned agent has not replied in time: requeue, maybe pause the agent. */
  noReply: { id: 'routing.no_reply', version: 1, payload: z.object({ conversationId: ZId, agentId: ZId }) },
  /** The wait in a group reached its maximum: the group's overflow action. */
  maxWait: { id: 'routing.max_wait', version: 1, payload: z.object({ conversationId: ZId, groupId: ZId }) },
  /** A waiting customer has had no socket for the grace period: abandoned. */
  abandon: { id: 'routing.abandon', version: 1, payload: z.object({ customerId: ZId }) },
  /** One per deployment, every 5 s: after-hours release and queue estimates. */
  queueRefresh: { id: 'routing.queue_refresh', version: 1, payload: z.object({}) },
} satisfies Record<string, JobKind>;

export const jobKey = (kind: JobKind, id: string) => `${kind.id}:${id}`;

export const seconds = (from: Date | null, to = new Date()) =>
  from ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

/**
 * What a routing change tells the world once it has committed. Plain data, so that emitting can later
 * become an outbox write without touching the code that decides what to tell.
 */
export type RoutingEvent =
  /** A line from the system in the conversation (chat stores and pushes it). */
  | { type: 'system_message'; conversationId: string; body: string }
  /** The conversation row changed: chat pushes it to the customer and the agents concerned. */
  | { type: 'conversation_changed'; conversationId: string; previousAssigneeId: string | null }
  | { type: 'routing.transfer_notice'; payload: DomainEvents['routing.transfer_notice'] }
  /** The group's queue changed: everyone's place is pushed again (debounced per group). */
  | { type: 'queue_changed'; groupId: string | null }
  /** One customer's place, pushed at once (an offer must not wait for the next refresh). */
  | { type: 'queue_position'; conversation: { id: string; org_id: string; customer_id: string } };

/** What a change emits: its recorded events, and the status pushes of `w.presence` (never recorded by hand). */
type EmittedEvent =
  | RoutingEvent
  | { type: 'agent.status_changed'; payload: DomainEvents['agent.status_changed'] };

/** One routing change: its repository and transaction, and the only way it records facts and notifies. */
export type Change = {
  r: RoutingRepository;
  tx: Database;
  /** Writes the facts in this change's transaction; the events are emitted, in order, after it commits. */
  record(facts: Fact[], events?: RoutingEvent[]): Promise<void>;
  /**
   * An agent's presence moves through the single writer (`applyPresence`: row lock, presence machine,
   * status, fact and outbox event in this transaction); a change is also pushed after the commit.
   */
  presence(
    agentId: string,
    event: PresenceEvent,
    detail?: Parameters<typeof applyPresence>[3],
  ): Promise<PresenceChange>;
  /** A job the change needs, created in its transaction (it exists iff the change committed). */
  schedule<S extends z.ZodType>(kind: JobKind<S>, opts: ScheduleOptions<S>): Promise<void>;
  /** Removes keyed jobs in the change's transaction. */
  cancel(...keys: string[]): Promise<void>;
};

export type RoutingContext = {
  deps: RoutingServiceDeps;
  repo: RoutingRepository;
  positions: QueuePositions;
  /** Runs `fn` in one transaction (its facts and jobs with it); after the commit, its events in order. */
  change<T>(fn: (w: Change) => Promise<T>): Promise<T>;
};

export function createRoutingContext(deps: RoutingServiceDeps): RoutingContext {
  const { db, bus, jobs } = deps;
  const repo = createRoutingRepository(db);
  const positions = createQueuePositions({ repo, bus, logger: deps.logger });

  async function emit(e: EmittedEvent): Promise<unknown> {
    switch (e.type) {
      case 'system_message':
        return deps.notify().systemMessage(e.conversationId, e.body);
      case 'conversation_changed':
        return deps.notify().conversationChanged(e.conversationId, e.previousAssigneeId);
      case 'agent.status_changed':
        return bus.publish('agent.status_changed', e.payload);
      case 'routing.transfer_notice':
        return bus.publish('routing.transfer_notice', e.payload);
      case 'queue_changed':
        return positions.markQueueChanged(e.groupId);
      case 'queue_position':
        return positions.publishPositionOf(e.conversation);
    }
  }

  async function change<T>(fn: (w: Change) => Promise<T>): Promise<T> {
    const events: EmittedEvent[] = [];
    const dueNow = new Set<string>();
    let hasEvents = false;
    const result = await db.transaction(async (t) => {
      const tx = t as unknown as Database;
      return fn({
        r: createRoutingRepository(tx),
        tx,
        async record(facts, more = []) {
          await recordFacts(tx, facts);
          events.push(...more);
        },
        async presence(agentId, event, detail) {
          const done = await applyPresence(tx, agentId, event, detail);
          if (done.changed) {
            hasEvents = true;
            events.push({
              type: 'agent.status_changed',
              payload: { orgId: done.orgId, userId: agentId, status: done.after.status },
            });
          }
          return done;
        },
        async schedule(kind, opts) {
          await jobs.scheduleIn(tx, kind, opts);
          if (opts.runAt.getTime() <= Date.now()) dueNow.add(kind.id);
        },
        cancel: (...keys) => jobs.cancelIn(tx, ...keys),
      });
    });
    for (const kind of dueNow) jobs.nudge(kind);
    if (hasEvents) deps.outbox.nudge();
    for (const e of events) await emit(e);
    return result;
  }

  return { deps, repo, positions, change };
}

/** The group's max-wait timer for a chat, counted from `from`. */
export function scheduleMaxWait(
  w: Change,
  conv: { id: string; org_id: string },
  groupId: string,
  from: Date,
  maxWaitSeconds: number,
) {
  return w.schedule(JOB.maxWait, {
    key: jobKey(JOB.maxWait, conv.id),
    orgId: conv.org_id,
    runAt: new Date(from.getTime() + maxWaitSeconds * 1000),
    payload: { conversationId: conv.id, groupId },
  });
}

/** The caller's group, or 404 (another organisation's group does not exist for them). */
export async function groupOfCaller(repo: RoutingRepository, caller: UserCaller, groupId: string) {
  return assertInScope(await repo.getGroup(groupId), scopeOf(caller), 'group');
}
