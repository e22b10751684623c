import { randomBytes } from 'node:crypto';
import type { TBotAnswer } from '@peakdesk/contracts';
import { type DatabaseHandle, openDatabase } from '@peakdesk/db';
import type { Config } from './config.ts';
import { createAccountsRepository } from './modules/accounts/accounts.repository.ts';
import {
  createOrganizationsService,
  type OrganizationsService,
} from './modules/accounts/organizations.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createBotRepository } from './modules/bot/bot.repository.ts';
import { toSettingsDto } from './modules/bot/bot.service.ts';
import { evaluateQuery } from './modules/bot/bot-ask.ts';
import { detectRiskByKeywords } from './modules/bot/bot-policy.ts';
import { createKnowledgeService, type KnowledgeService } from './modules/knowledge/knowledge.service.ts';
import { createQuickRepliesRepository } from './modules/quick-replies/quick-replies.repository.ts';

export type Standalone = {
  db: DatabaseHandle;
  knowledge: KnowledgeService;
  organizations: OrganizationsService;
  /** The store's organisation, or the first organisation (created with a default store if there is none). */
  resolveTenant(storeId?: string): Promise<{ orgId: string; storeId: string | null } | null>;
  ask(orgId: string, text: string, storeId: string | null): Promise<TBotAnswer>;
  close(): Promise<void>;
};

/**
 * The knowledge base and bot without HTTP, realtime or timers: what CLI commands need. Opening it
 * applies migrations, so a command works on a fresh data directory.
 */
export async function openStandalone(config: Config): Promise<Standalone> {
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  const accounts = createAccountsRepository(db.db);
  const quickReplies = createQuickRepliesRepository(db.db);
  const bots = createBotRepository(db.db);
  const audit = createAuditService(db.db);
  const organizations = createOrganizationsService({ repo: accounts, audit });
  const knowledge = createKnowledgeService({
    db: db.db,
    audit,
    accounts,
    hasQuickReply: async (orgId, id) => (await quickReplies.getTeam(orgId, id)) !== null,
  });
  const settingsFor = async (storeId: string) => toSettingsDto(storeId, await bots.getSettings(storeId));

  // Before the first admin is created this organisation holds what CLI commands import; the setup
  // page and `peakdesk admin create` take it over.
  async function ensureOrganization(): Promise<string> {
    const existing = await accounts.firstOrganization();
    if (existing) return existing.id;
    const org = await accounts.provisionOrganization({
      orgName: '默认商家',
      identitySecret: randomBytes(24).toString('hex'),
    });
    return org!.orgId;
  }

  return {
    db,
    knowledge,
    organizations,
    async resolveTenant(storeId) {
      if (!storeId) return { orgId: await ensureOrganization(), storeId: null };
      const store = /^[0-9a-f-]{36}$/i.test(storeId) ? await accounts.getStoreById(storeId) : null;
      return store ? { orgId: store.orgId, storeId: store.id } : null;
    },
    async ask(orgId, text, storeId) {
      return (
        await evaluateQuery(
          { knowledge, detectRisk: detectRiskByKeywords, settingsFor },
          orgId,
          text,
          storeId,
        )
      ).result;
    },
    close: () => db.close(),
  };
}
