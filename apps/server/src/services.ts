import { randomBytes } from 'node:crypto';
import type { Database } from '@peakdesk/db';
import type { Config } from './config.ts';
import type { EventBus } from './events/event-bus.ts';
import type { CallerResolvers } from './http/auth.ts';
import { createAccountsService } from './modules/accounts/accounts.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createChatService } from './modules/chat/chat.service.ts';
import { createQuickRepliesService } from './modules/quick-replies/quick-replies.service.ts';
import { createRoutingService, type RoutingService } from './modules/routing/routing.service.ts';

/** Builds every domain service once; modules reach each other only through what is passed here. */
export async function createServices(db: Database, bus: EventBus, config: Config) {
  const audit = createAuditService(db);
  const accounts = createAccountsService({ db, bus, audit });
  // All instances must sign visitor tokens alike: use the configured secret or the one stored in the db.
  const secret =
    config.secret ??
    (await accounts.repo.ensureSetting('visitor_token_secret', randomBytes(32).toString('hex')));
  let routing: RoutingService | undefined;
  const chat = createChatService({ db, bus, accounts: accounts.repo, secret, routing: () => routing! });
  routing = createRoutingService({
    db,
    onAssigned: async (a) => {
      await chat.postSystemMessage(a.conversationId, `客服「${a.agentName}」为您服务，请问有什么可以帮您？`);
      await chat.publishConversation(a.conversationId, null);
    },
  });
  const quickReplies = createQuickRepliesService({ db, audit });

  // An agent coming online (or back from 挂起) takes waiting conversations of their groups.
  bus.subscribe('agent.status_changed', async (e) => {
    if (e.status === 'online') await routing.drainForAgent(e.userId);
  });

  const resolvers: CallerResolvers = {
    resolveSession: (t) => accounts.resolveSession(t),
    resolveApiToken: (t) => accounts.resolveApiToken(t),
    resolveVisitor: (t) => chat.resolveVisitor(t),
  };
  return { audit, accounts, chat, routing, quickReplies, resolvers, secret };
}

export type Services = Awaited<ReturnType<typeof createServices>>;
