import { type Database, queryRows, schema, sql } from '@peakdesk/db';
import { and, asc, desc, eq } from 'drizzle-orm';

const { faqEntries, kbArticles, knowledgeVersions } = schema;

export type FaqRow = typeof faqEntries.$inferSelect;
export type FaqValues = Omit<typeof faqEntries.$inferInsert, 'createdAt' | 'updatedAt'>;
export type ArticleRow = typeof kbArticles.$inferSelect;

function repositoryOn(db: Database) {
  return {
    /** Bumps the organisation's knowledge version (call inside the write's transaction). */
    async bumpVersion(orgId: string): Promise<number> {
      const [row] = await queryRows<{ version: string | number }>(
        db,
        sql`INSERT INTO knowledge_versions (org_id, version) VALUES (${orgId}, 1)
            ON CONFLICT (org_id) DO UPDATE SET version = knowledge_versions.version + 1
            RETURNING version`,
      );
      return Number(row?.version ?? 0);
    },
    async version(orgId: string): Promise<number> {
      const [row] = await db
        .select({ version: knowledgeVersions.version })
        .from(knowledgeVersions)
        .where(eq(knowledgeVersions.orgId, orgId));
      return Number(row?.version ?? 0);
    },

    async listFaqs(orgId: string): Promise<FaqRow[]> {
      return db.select().from(faqEntries).where(eq(faqEntries.orgId, orgId)).orderBy(asc(faqEntries.id));
    },
    async getFaq(orgId: string, id: string): Promise<FaqRow | null> {
      const [row] = await db
        .select()
        .from(faqEntries)
        .where(and(eq(faqEntries.orgId, orgId), eq(faqEntries.id, id)));
      return row ?? null;
    },
    async faqIds(orgId: string): Promise<Set<string>> {
      const rows = await db.select({ id: faqEntries.id }).from(faqEntries).where(eq(faqEntries.orgId, orgId));
      return new Set(rows.map((r) => r.id));
    },
    async upsertFaq(values: FaqValues): Promise<FaqRow> {
      const { orgId: _orgId, id: _id, ...rest } = values;
      const [row] = await db
        .insert(faqEntries)
        .values(values)
        .onConflictDoUpdate({
          target: [faqEntries.orgId, faqEntries.id],
          set: { ...rest, updatedAt: new Date() },
        })
        .returning();
      return row!;
    },
    async deleteFaq(orgId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(faqEntries)
        .where(and(eq(faqEntries.orgId, orgId), eq(faqEntries.id, id)))
        .returning({ id: faqEntries.id });
      return rows.length > 0;
    },

    async listArticles(orgId: string): Promise<ArticleRow[]> {
      return db
        .select()
        .from(kbArticles)
        .where(eq(kbArticles.orgId, orgId))
        .orderBy(desc(kbArticles.updatedAt));
    },
    async insertArticle(values: typeof kbArticles.$inferInsert): Promise<ArticleRow> {
      const [row] = await db.insert(kbArticles).values(values).returning();
      return row!;
    },
    async updateArticle(
      orgId: string,
      id: string,
      values: Partial<typeof kbArticles.$inferInsert>,
    ): Promise<ArticleRow | null> {
      const [row] = await db
        .update(kbArticles)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(kbArticles.orgId, orgId), eq(kbArticles.id, id)))
        .returning();
      return row ?? null;
    },
    async deleteArticle(orgId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(kbArticles)
        .where(and(eq(kbArticles.orgId, orgId), eq(kbArticles.id, id)))
        .returning({ id: kbArticles.id });
      return rows.length > 0;
    },
  };
}

export type KnowledgeRepository = ReturnType<typeof repositoryOn>;

export function createKnowledgeRepository(db: Database) {
  return {
    ...repositoryOn(db),
    /** Runs `fn` in one transaction with a repository bound to it. */
    transaction<T>(fn: (repo: KnowledgeRepository) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(repositoryOn(tx as unknown as Database)));
    },
  };
}
