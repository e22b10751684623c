import type { Database } from '@peakdesk/db';
import type { Logger } from 'pino';
import type { DomainEvents, EventBus } from '../../events/event-bus.ts';
import type { UserCaller } from '../../http/caller.ts';
import { assertInScope, scopeOf } from '../../http/scope.ts';
import type { Timers } from '../../jobs/timers.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type Fact, recordFacts } from '../facts/facts.service.ts';
import { createQueuePositions, type QueuePositions } from './queue-positions.ts';
import { createRoutingRepository, type RoutingRepository } from './routing.repository.ts';

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
  timers: Timers;
  audit: AuditService;
  logger: Logger;
  config: RoutingConfig;
  notify: () => RoutingNotifier;
  openTicketCheck?: OpenTicketCheck;
};

export const TIMER = {
  noReply: 'routing.no_reply',
  maxWait: 'routing.max_wait',
  abandon: 'routing.abandon',
  queueRefresh: 'routing.queue_refresh',
} as const;

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
  | { type: 'agent.status_changed'; payload: DomainEvents['agent.status_changed'] }
  | { type: 'routing.transfer_notice'; payload: DomainEvents['routing.transfer_notice'] }
  /** The group's queue changed: everyone's place is pushed again (debounced per group). */
  | { type: 'queue_changed'; groupId: string | null }
  /** One customer's place, pushed at once (an offer must not wait for the next refresh). */
  | { type: 'queue_position'; conversation: { id: string; org_id: string; customer_id: string } };

type Timer = { key: string; name: string; at: Date; payload: Record<string, unknown> };
type Effect = { event: RoutingEvent } | { timer: Timer };

/** One routing change: its repository and transaction, and the only way it records facts and notifies. */
export type Change = {
  r: RoutingRepository;
  tx: Database;
  /** Writes the facts in this change's transaction; the events are emitted, in order, after it commits. */
  record(facts: Fact[], events?: RoutingEvent[]): Promise<void>;
  /** A durable timer the change needs, scheduled after the commit. */
  schedule(key: string, name: string, at: Date, payload: Record<string, unknown>): void;
};

export type RoutingContext = {
  deps: RoutingServiceDeps;
  repo: RoutingRepository;
  positions: QueuePositions;
  /** Runs `fn` in one transaction; after the commit, the change's timers and events in the order given. */
  change<T>(fn: (w: Change) => Promise<T>): Promise<T>;
};

export function createRoutingContext(deps: RoutingServiceDeps): RoutingContext {
  const { db, bus, timers } = deps;
  const repo = createRoutingRepository(db);
  const positions = createQueuePositions({ repo, bus, logger: deps.logger });

  async function emit(e: RoutingEvent): Promise<unknown> {
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
    const effects: Effect[] = [];
    const result = await db.transaction(async (t) => {
      const tx = t as unknown as Database;
      return fn({
        r: createRoutingRepository(tx),
        tx,
        async record(facts, events = []) {
          await recordFacts(tx, facts);
          for (const event of events) effects.push({ event });
        },
        schedule(key, name, at, payload) {
          effects.push({ timer: { key, name, at, payload } });
        },
      });
    });
    for (const e of effects) {
      if ('timer' in e) await timers.schedule(e.timer.key, e.timer.name, e.timer.at, e.timer.payload);
      else await emit(e.event);
    }
    return result;
  }

  return { deps, repo, positions, change };
}

/** The group's max-wait timer for a chat, counted from `from`. */
export function scheduleMaxWait(
  w: Change,
  conversationId: string,
  groupId: string,
  from: Date,
  maxWaitSeconds: number,
) {
  w.schedule(
    `${TIMER.maxWait}:${conversationId}`,
    TIMER.maxWait,
    new Date(from.getTime() + maxWaitSeconds * 1000),
    { conversationId, groupId },
  );
}

/** The caller's group, or 404 (another organisation's group does not exist for them). */
export async function groupOfCaller(repo: RoutingRepository, caller: UserCaller, groupId: string) {
  return assertInScope(await repo.getGroup(groupId), scopeOf(caller), 'group');
}
