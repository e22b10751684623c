import { createEntry } from './entry.service.ts';
import { createOverflow } from './overflow.service.ts';
import { createPresence } from './presence.service.ts';
import { createQueue } from './queue.service.ts';
import { createRoutingContext, type RoutingServiceDeps } from './routing-context.ts';
import { createRoutingSettings } from './settings.service.ts';
import { createTransfers } from './transfers.service.ts';
import { createWall } from './wall.service.ts';

export type { RoutingServiceDeps } from './routing-context.ts';

/**
 * Surge routing, composed from its concerns: entry (rules, lanes, business hours), the queue (drain,
 * assign, requeue), queue positions, overflow (max wait, leave-a-message, after hours, abandonment),
 * presence, transfers, settings and the wall. Every change runs through `RoutingContext.change`, which
 * writes its facts in the transaction and emits its events after the commit.
 */
export function createRoutingService(deps: RoutingServiceDeps) {
  const ctx = createRoutingContext(deps);
  const queue = createQueue(ctx);
  const overflow = createOverflow(ctx, queue);
  const entry = createEntry(ctx, queue, overflow);
  const presence = createPresence(ctx, queue);
  const transfers = createTransfers(ctx, queue);
  const settings = createRoutingSettings(ctx, queue);
  const wall = createWall(ctx.repo);

  return {
    // Entry points other modules call (chat, bot hand-off, accounts events).
    routeConversation: entry.routeConversation,
    routeIfUnclassified: entry.routeIfUnclassified,
    drainGroups: queue.drainGroups,
    drainForAgent: queue.drainForAgent,
    onAgentStatusChanged: presence.onAgentStatusChanged,

    // Realtime presence (called by the gateway).
    agentConnected: presence.agentConnected,
    agentDisconnected: presence.agentDisconnected,
    customerConnected: overflow.customerConnected,
    customerDisconnected: overflow.customerDisconnected,
    sweepAway: presence.sweepAway,
    heartbeat: presence.heartbeat,
    start() {
      presence.start();
      overflow.startRefresh();
    },
    stop() {
      presence.stop();
      ctx.positions.stop();
    },

    // Customers.
    queuePosition: entry.queuePosition,
    leaveMessageByCustomer: overflow.leaveMessageByCustomer,
    keepWaitingByCustomer: overflow.keepWaitingByCustomer,
    abandonByCustomer: overflow.abandonByCustomer,

    // Transfers and supervision.
    transfer: transfers.transfer,
    takeOver: transfers.takeOver,
    setCustomerFlags: settings.setCustomerFlags,

    // Configuration.
    listRules: settings.listRules,
    createRule: settings.createRule,
    updateRule: settings.updateRule,
    deleteRule: settings.deleteRule,
    listGroupSettings: settings.listGroupSettings,
    updateGroupSettings: settings.updateGroupSettings,
    listLeaveMessages: settings.listLeaveMessages,
    updateLeaveMessage: settings.updateLeaveMessage,

    // Supervisor wall.
    wall: wall.wall,
    wallFor: wall.wallFor,
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
