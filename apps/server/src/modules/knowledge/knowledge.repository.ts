import { type Database, queryRows, schema, sql } from '@peakdesk/db';
import { and, asc, desc, eq } from 'drizzle-orm';
import { type Scope, scopedWhere } from '../../http/scope.ts';

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

    /** The scope's entries (its stores' and the organisation-wide ones). */
    async listFaqs(scope: Scope): Promise<FaqRow[]> {
      return db.select().from(faqEntries).where(scopedWhere(faqEntries, scope)).orderBy(asc(faqEntries.id));
    },
    async getFaq(scope: Scope, id: string): Promise<FaqRow | null> {
      const [row] = await db
        .select()
        .from(faqEntries)
        .where(and(scopedWhere(faqEntries, scope), eq(faqEntries.id, id)));
      return row ?? null;
    },
    /**
     * Ids are unique per organisation, so an import must know every id of the organisation, with its
     * store, to refuse one that belongs to a store outside the importer's scope (and to count creates).
     */
    async faqStores(orgId: string): Promise<Map<string, string | null>> {
      const rows = await db
        .select({ id: faqEntries.id, storeId: faqEntries.storeId })
        .from(faqEntries)
        .where(eq(faqEntries.orgId, orgId));
      return new Map(rows.map((r) => [r.id, r.storeId]));
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
    async deleteFaq(scope: Scope, id: string): Promise<boolean> {
      const rows = await db
        .delete(faqEntries)
        .where(and(scopedWhere(faqEntries, scope), eq(faqEntries.id, id)))
        .returning({ id: faqEntries.id });
      return rows.length > 0;
    },

    async listArticles(scope: Scope): Promise<ArticleRow[]> {
      return db
        .select()
        .from(kbArticles)
        .where(scopedWhere(kbArticles, scope))
        .orderBy(desc(kbArticles.updatedAt));
    },
    async insertArticle(values: typeof kbArticles.$inferInsert): Promise<ArticleRow> {
      const [row] = await db.insert(kbArticles).values(values).returning();
      return row!;
    },
    async getArticle(scope: Scope, id: string): Promise<ArticleRow | null> {
      const [row] = await db
        .select()
        .from(kbArticles)
        .where(and(scopedWhere(kbArticles, scope), eq(kbArticles.id, id)));
      return row ?? null;
    },
    async updateArticle(
      scope: Scope,
      id: string,
      values: Partial<typeof kbArticles.$inferInsert>,
    ): Promise<ArticleRow | null> {
      const [row] = await db
        .update(kbArticles)
        .set({ ...values, updatedAt: new Date() })
        .where(and(scopedWhere(kbArticles, scope), eq(kbArticles.id, id)))
        .returning();
      return row ?? null;
    },
    async deleteArticle(scope: Scope, id: string): Promise<boolean> {
      const rows = await db
        .delete(kbArticles)
        .where(and(scopedWhere(kbArticles, scope), eq(kbArticles.id, id)))
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
