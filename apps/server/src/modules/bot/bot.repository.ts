import { type Database, schema } from '@peakdesk/db';
import { and, desc, eq } from 'drizzle-orm';
import { type Scope, scopedWhere } from '../../http/scope.ts';

const { botSettings, botConversations, botUnanswered } = schema;

export type BotSettingsRow = typeof botSettings.$inferSelect;
export type BotStateRow = typeof botConversations.$inferSelect;
export type UnansweredRow = typeof botUnanswered.$inferSelect;

function repositoryOn(db: Database) {
  return {
    async getSettings(storeId: string): Promise<BotSettingsRow | null> {
      const [row] = await db.select().from(botSettings).where(eq(botSettings.storeId, storeId));
      return row ?? null;
    },
    async upsertSettings(values: typeof botSettings.$inferInsert): Promise<BotSettingsRow> {
      const { storeId: _s, orgId: _o, ...rest } = values;
      const [row] = await db
        .insert(botSettings)
        .values(values)
        .onConflictDoUpdate({ target: botSettings.storeId, set: { ...rest, updatedAt: new Date() } })
        .returning();
      return row!;
    },
    async getState(conversationId: string): Promise<BotStateRow | null> {
      const [row] = await db
        .select()
        .from(botConversations)
        .where(eq(botConversations.conversationId, conversationId));
      return row ?? null;
    },
    async saveState(values: typeof botConversations.$inferInsert): Promise<void> {
      const { conversationId: _c, orgId: _o, ...rest } = values;
      await db
        .insert(botConversations)
        .values(values)
        .onConflictDoUpdate({
          target: botConversations.conversationId,
          set: { ...rest, updatedAt: new Date() },
        });
    },
    async insertUnanswered(values: typeof botUnanswered.$inferInsert): Promise<void> {
      await db.insert(botUnanswered).values(values);
    },
    async listUnanswered(scope: Scope, limit: number): Promise<UnansweredRow[]> {
      return db
        .select()
        .from(botUnanswered)
        .where(and(scopedWhere(botUnanswered, scope), eq(botUnanswered.status, 'open')))
        .orderBy(desc(botUnanswered.createdAt))
        .limit(limit);
    },
    async setUnansweredStatus(scope: Scope, id: string, status: UnansweredRow['status']): Promise<boolean> {
      const rows = await db
        .update(botUnanswered)
        .set({ status })
        .where(and(scopedWhere(botUnanswered, scope), eq(botUnanswered.id, id)))
        .returning({ id: botUnanswered.id });
      return rows.length > 0;
    },
  };
}

export type BotRepository = ReturnType<typeof repositoryOn>;

export function createBotRepository(db: Database) {
  return {
    ...repositoryOn(db),
    /** Runs `fn` in one transaction with a repository (and the raw handle, for facts) bound to it. */
    transaction<T>(fn: (repo: BotRepository, tx: Database) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(repositoryOn(tx as unknown as Database), tx as unknown as Database));
    },
  };
}
