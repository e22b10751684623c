import { randomBytes } from 'node:crypto';
import type { Database } from '@peakdesk/db';
import { loadDemoFaq } from '@peakdesk/text';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { createDeadLettersService } from './events/dead-letters.ts';
import type { EventBus } from './events/event-bus.ts';
import { createOutbox } from './events/outbox.ts';
import type { CallerResolvers } from './http/auth.ts';
import { scopeOf } from './http/scope.ts';
import { createJobs } from './jobs/jobs.ts';
import { createAccountsService } from './modules/accounts/accounts.service.ts';
import { createOrganizationsService } from './modules/accounts/organizations.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { type BotService, createBotService } from './modules/bot/bot.service.ts';
import { createChatService } from './modules/chat/chat.service.ts';
import { createDrillRunner } from './modules/drills/drill-runs.ts';
import { createDrillsService } from './modules/drills/drills.service.ts';
import { createKnowledgeService } from './modules/knowledge/knowledge.service.ts';
import { createQuickRepliesService } from './modules/quick-replies/quick-replies.service.ts';
import { createRoutingService, type RoutingService } from './modules/routing/routing.service.ts';
import { createWorkforceService } from './modules/workforce/workforce.service.ts';

/** Builds every domain service once; modules reach each other only through what is passed here. */
/** State-machine events that start a new wait in the queue (conversation-state.ts `newWait`). */
const NEW_WAIT_EVENTS = new Set(['bot_handoff', 'reopened', 'customer_message']);

export async function createServices(
  db: Database,
  bus: EventBus,
  config: Config,
  logger: Logger = pino({ level: 'silent' }),
) {
  // The transactional outbox: what must not be lost (bot turns, agent online) reaches durable
  // listeners at least once; realtime push stays on the in-process bus.
  const outbox = createOutbox({ db, logger, pollMs: config.timerPollMs, leaseMs: config.workLeaseMs });
  // Jobs as data (routing timers, bot hand-offs): one lane per kind on every instance, SKIP LOCKED.
  const jobs = createJobs({ db, logger, pollMs: config.timerPollMs, leaseMs: config.workLeaseMs });
  const audit = createAuditService(db);
  const accounts = createAccountsService({ db, bus, audit, outbox });
  const organizations = createOrganizationsService({ repo: accounts.repo, audit });
  // All instances must sign visitor tokens alike: use the configured secret or the one stored in the db.
  const secret =
    config.secret ??
    (await accounts.repo.ensureSetting('visitor_token_secret', randomBytes(32).toString('hex')));
  let routing: RoutingService | undefined;
  let bot: BotService | undefined;
  const chat = createChatService({
    db,
    bus,
    accounts: accounts.repo,
    secret,
    visitorTokenTtlMs: config.visitorTokenTtlMs,
    audit,
    outbox,
    routing: () => routing!,
    initialStatus: (c) => bot!.initialStatus(c),
  });
  routing = createRoutingService({
    db,
    bus,
    jobs,
    outbox,
    audit,
    logger,
    config: {
      agentGraceSeconds: config.agentGraceSeconds,
      abandonGraceSeconds: config.abandonGraceSeconds,
      heartbeatMs: Math.max(200, Math.min(10_000, (config.agentGraceSeconds * 1000) / 3)),
    },
    notify: () => ({
      systemMessage: (id, body) => chat.postSystemMessage(id, body),
      conversationChanged: (id, previous) => chat.publishConversation(id, previous),
    }),
  });
  const quickReplies = createQuickRepliesService({ db, audit });
  const knowledge = createKnowledgeService({
    db,
    audit,
    accounts: accounts.repo,
    hasQuickReply: async (orgId, id) => (await quickReplies.repo.getTeam(orgId, id)) !== null,
  });
  bot = createBotService({
    db,
    bus,
    chat,
    knowledge,
    accounts: accounts.repo,
    audit,
    jobs,
    findQuickReply: (caller, id) => quickReplies.repo.getVisible(scopeOf(caller), caller.userId, id),
  });
  // The bot answers customer messages of conversations in status `bot` (durable listener `bot.turn`).
  bot.listen(outbox);

  // An agent coming online (or back from 挂起) takes waiting conversations of their groups. Both
  // writes (misses reset, assignments) are idempotent by state: a redelivery assigns nothing twice.
  outbox.listen({
    name: 'routing.agent_online',
    events: ['agent.status_changed'],
    accepts: (e) => e.payload.status === 'online',
    handle: async (e) => {
      await routing.onAgentStatusChanged(e.payload.userId, e.payload.status);
    },
  });

  // A new queue entry (opened queued, handed off by the bot, reopened) is classified by routing right
  // after its commit; this listener is the at-least-once half: after a crash in between, the entry is
  // classified (rules, lane, the queued fact, the max-wait job) and routed on restart, once — routing
  // skips an entry whose `routed_for` already equals its `queued_at`.
  outbox.listen({
    name: 'routing.entry',
    events: ['conversation.opened', 'conversation.transitioned'],
    accepts: (e) =>
      e.payload.conversation.status === 'queued' &&
      (!('event' in e.payload) || NEW_WAIT_EVENTS.has(e.payload.event)),
    handle: async (e) => {
      const id = e.payload.conversation.id;
      if (await routing.routeIfUnclassified(id)) await chat.publishConversation(id, null);
    },
  });

  // A drill store is set up like the demo: the demo FAQ bot answers first, so drills exercise it.
  const drillFaqLoaded = new Set<string>();
  const drills = createDrillsService({
    db,
    accounts: accounts.repo,
    audit,
    maxLiveDrillOrgs: config.drillOrgsPerOrg,
    prepareStore: [
      async (orgId, storeId) => {
        if (!drillFaqLoaded.has(orgId)) {
          await knowledge.importEntries(orgId, loadDemoFaq());
          drillFaqLoaded.add(orgId);
        }
        await bot.setMode(orgId, storeId, 'bot_first');
      },
    ],
  });
  // Known once the server listens (main sets it); drills call this instance's public API.
  const selfUrl = { current: `http://127.0.0.1:${config.port}` };
  const drillRuns = createDrillRunner({
    db,
    drills,
    selfUrl: () => selfUrl.current,
    instanceId: config.instanceId,
    logger,
  });

  const workforce = createWorkforceService({ db, audit, accounts: accounts.repo });

  const resolvers: CallerResolvers = {
    resolveSession: (t) => accounts.resolveSession(t),
    resolveApiToken: (t) => accounts.resolveApiToken(t),
    resolveVisitor: (t) => chat.resolveVisitor(t),
  };
  return {
    audit,
    accounts,
    organizations,
    chat,
    routing,
    jobs,
    outbox,
    quickReplies,
    knowledge,
    bot,
    drills,
    drillRuns,
    selfUrl,
    workforce,
    resolvers,
    secret,
    deadLetters: createDeadLettersService({ outbox, jobs }),
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;
