import { type Database, queryRows, schema, sql } from '@peakdesk/db';
import { and, asc, count, desc, eq, gt, inArray, isNull } from 'drizzle-orm';

const { organizations, stores, skillGroups, users, userStores, groupMembers, sessions, apiTokens, settings } =
  schema;

export type UserRow = typeof users.$inferSelect;
export type StoreRow = typeof stores.$inferSelect;
export type GroupRow = typeof skillGroups.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type UserWithScope = UserRow & { storeIds: string[]; groupIds: string[] };

/** The settings key of the one-time first-run token; deleted when the first admin exists. */
export const SETUP_TOKEN_KEY = 'setup_token';

export type ProvisionInput = {
  /** Rename and use this organisation (one left without users by a CLI command) instead of a new one. */
  orgId?: string | undefined;
  orgName: string;
  identitySecret: string;
  admin?: { email: string; name: string; passwordHash: string };
  /** Only when this is the stored setup token (claimed in the same transaction, so it works once). */
  setupToken?: string;
};
export type Provisioned = { orgId: string; storeId: string; groupId: string; userId: string | null };

export function createAccountsRepository(db: Database) {
  async function withScope(rows: UserRow[]): Promise<UserWithScope[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [us, gm] = await Promise.all([
      db.select().from(userStores).where(inArray(userStores.userId, ids)),
      db.select().from(groupMembers).where(inArray(groupMembers.userId, ids)),
    ]);
    return rows.map((r) => ({
      ...r,
      storeIds: us.filter((x) => x.userId === r.id).map((x) => x.storeId),
      groupIds: gm.filter((x) => x.userId === r.id).map((x) => x.groupId),
    }));
  }

  return {
    async getOrganization(id: string) {
      const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
      return row ?? null;
    },
    async firstOrganization() {
      const [row] = await db.select().from(organizations).orderBy(asc(organizations.createdAt)).limit(1);
      return row ?? null;
    },
    async findOrganizationByName(name: string) {
      const [row] = await db
        .select()
        .from(organizations)
        .where(and(eq(organizations.name, name), eq(organizations.isDrill, false)))
        .orderBy(asc(organizations.createdAt))
        .limit(1);
      return row ?? null;
    },
    async countUsers(orgId?: string) {
      const [row] = await db
        .select({ n: count() })
        .from(users)
        .where(orgId ? eq(users.orgId, orgId) : undefined);
      return row?.n ?? 0;
    },
    async hasAnyAdmin() {
      const [row] = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
      return row !== undefined;
    },
    /**
     * One transaction: the organisation (new, or an adopted one renamed), a default group and store
     * when it has none, and its admin. Returns null when `setupToken` is not the stored token.
     */
    async provisionOrganization(input: ProvisionInput): Promise<Provisioned | null> {
      return db.transaction(async (tx) => {
        if (input.setupToken !== undefined) {
          const claimed = await tx
            .delete(settings)
            .where(and(eq(settings.key, SETUP_TOKEN_KEY), eq(settings.value, input.setupToken)))
            .returning();
          if (claimed.length === 0) return null;
        }
        let orgId = input.orgId;
        if (orgId)
          await tx.update(organizations).set({ name: input.orgName }).where(eq(organizations.id, orgId));
        else orgId = (await tx.insert(organizations).values({ name: input.orgName }).returning())[0]!.id;
        let [store] = await tx.select().from(stores).where(eq(stores.orgId, orgId)).limit(1);
        let groupId = store?.defaultGroupId ?? null;
        if (!groupId) {
          const [group] = await tx.select().from(skillGroups).where(eq(skillGroups.orgId, orgId)).limit(1);
          groupId =
            group?.id ??
            (
              await tx
                .insert(skillGroups)
                .values({ orgId, name: '默认客服组', defaultMaxConcurrency: 5 })
                .returning()
            )[0]!.id;
        }
        store ??= (
          await tx
            .insert(stores)
            .values({
              orgId,
              name: '默认店铺',
              platform: 'other',
              defaultGroupId: groupId,
              identitySecret: input.identitySecret,
            })
            .returning()
        )[0]!;
        let userId: string | null = null;
        if (input.admin) {
          const [user] = await tx
            .insert(users)
            .values({ orgId, role: 'admin', ...input.admin, email: input.admin.email.toLowerCase() })
            .returning();
          userId = user!.id;
          // An admin exists: the first-run page is over, whichever way it was reached.
          await tx.delete(settings).where(eq(settings.key, SETUP_TOKEN_KEY));
        }
        return { orgId, storeId: store.id, groupId, userId };
      });
    },
    async createOrganization(name: string, isDrill = false) {
      const [row] = await db.insert(organizations).values({ name, isDrill }).returning();
      return row!;
    },

    async findUserByEmail(email: string) {
      const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
      return row ?? null;
    },
    async getUser(orgId: string, id: string): Promise<UserWithScope | null> {
      const rows = await db
        .select()
        .from(users)
        .where(and(eq(users.orgId, orgId), eq(users.id, id)));
      return (await withScope(rows))[0] ?? null;
    },
    async listUsers(orgId: string) {
      return withScope(
        await db.select().from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.createdAt)),
      );
    },
    async createUser(values: typeof users.$inferInsert, storeIds: string[], groupIds: string[]) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(users)
          .values({ ...values, email: values.email.toLowerCase() })
          .returning();
        if (storeIds.length)
          await tx.insert(userStores).values(storeIds.map((storeId) => ({ userId: row!.id, storeId })));
        if (groupIds.length)
          await tx.insert(groupMembers).values(groupIds.map((groupId) => ({ userId: row!.id, groupId })));
        return row!;
      });
    },
    async updateUser(
      orgId: string,
      id: string,
      values: Partial<typeof users.$inferInsert>,
      storeIds?: string[],
      groupIds?: string[],
    ) {
      return db.transaction(async (tx) => {
        const [row] =
          Object.keys(values).length > 0
            ? await tx
                .update(users)
                .set(values)
                .where(and(eq(users.orgId, orgId), eq(users.id, id)))
                .returning()
            : await tx
                .select()
                .from(users)
                .where(and(eq(users.orgId, orgId), eq(users.id, id)));
        if (!row) return null;
        if (storeIds) {
          await tx.delete(userStores).where(eq(userStores.userId, id));
          if (storeIds.length)
            await tx.insert(userStores).values(storeIds.map((storeId) => ({ userId: id, storeId })));
        }
        if (groupIds) {
          await tx.delete(groupMembers).where(eq(groupMembers.userId, id));
          if (groupIds.length)
            await tx.insert(groupMembers).values(groupIds.map((groupId) => ({ userId: id, groupId })));
        }
        return row;
      });
    },

    async createSession(tokenHash: string, userId: string, expiresAt: Date) {
      await db.insert(sessions).values({ tokenHash, userId, expiresAt });
    },
    async findSessionUser(tokenHash: string) {
      const [row] = await db
        .select({ user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())));
      return row ? (await withScope([row.user]))[0]! : null;
    },
    async deleteSession(tokenHash: string) {
      const [row] = await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).returning();
      return row ?? null;
    },
    /** Ends the user's sessions (but `exceptHash`); returns the hashes of those ended. */
    async deleteUserSessions(userId: string, exceptHash?: string) {
      const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
      const stale = rows.filter((r) => r.tokenHash !== exceptHash).map((r) => r.tokenHash);
      if (stale.length) await db.delete(sessions).where(inArray(sessions.tokenHash, stale));
      return stale;
    },

    async createApiToken(values: typeof apiTokens.$inferInsert) {
      const [row] = await db.insert(apiTokens).values(values).returning();
      return row!;
    },
    async listApiTokens(orgId: string) {
      return db.select().from(apiTokens).where(eq(apiTokens.orgId, orgId)).orderBy(desc(apiTokens.createdAt));
    },
    /**
     * Revokes the token and every token minted from it, at any depth (created_by_token_id), in one
     * statement. Returns the rows revoked now, the named one first; null when it is not an active
     * token of the organisation.
     */
    async revokeApiTokenTree(orgId: string, id: string) {
      const [root] = await db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
      if (!root) return null;
      const rows = await queryRows<{ id: string; user_id: string; name: string; token_hash: string }>(
        db,
        sql`WITH RECURSIVE tree AS (
              SELECT id FROM api_tokens WHERE id = ${id} AND org_id = ${orgId}
              UNION
              SELECT t.id FROM api_tokens t JOIN tree ON t.created_by_token_id = tree.id
            )
            UPDATE api_tokens SET revoked_at = now()
            WHERE id IN (SELECT id FROM tree) AND org_id = ${orgId} AND revoked_at IS NULL
            RETURNING id, user_id, name, token_hash`,
      );
      return rows
        .map((r) => ({ id: r.id, userId: r.user_id, name: r.name, tokenHash: r.token_hash }))
        .sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : 0));
    },
    /** The token and its user, revoked and expired ones included (the caller tells them apart). */
    async findToken(tokenHash: string) {
      const [row] = await db
        .select({ user: users, token: apiTokens })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, tokenHash));
      if (!row) return null;
      return { token: row.token, user: (await withScope([row.user]))[0]! };
    },
    async touchApiToken(id: string) {
      await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
    },

    async listStores(orgId: string) {
      return db.select().from(stores).where(eq(stores.orgId, orgId)).orderBy(asc(stores.createdAt));
    },
    async getStore(orgId: string, id: string) {
      const [row] = await db
        .select()
        .from(stores)
        .where(and(eq(stores.orgId, orgId), eq(stores.id, id)));
      return row ?? null;
    },
    /** Unscoped lookup for the public widget: the store id is the public entry point. */
    async getStoreById(id: string) {
      const [row] = await db.select().from(stores).where(eq(stores.id, id));
      return row ?? null;
    },
    async createStore(values: typeof stores.$inferInsert) {
      const [row] = await db.insert(stores).values(values).returning();
      return row!;
    },
    async updateStore(orgId: string, id: string, values: Partial<typeof stores.$inferInsert>) {
      const [row] = await db
        .update(stores)
        .set(values)
        .where(and(eq(stores.orgId, orgId), eq(stores.id, id)))
        .returning();
      return row ?? null;
    },

    async listGroups(orgId: string) {
      return db
        .select()
        .from(skillGroups)
        .where(eq(skillGroups.orgId, orgId))
        .orderBy(asc(skillGroups.createdAt));
    },
    async getGroup(orgId: string, id: string) {
      const [row] = await db
        .select()
        .from(skillGroups)
        .where(and(eq(skillGroups.orgId, orgId), eq(skillGroups.id, id)));
      return row ?? null;
    },
    async createGroup(values: typeof skillGroups.$inferInsert) {
      const [row] = await db.insert(skillGroups).values(values).returning();
      return row!;
    },
    async updateGroup(orgId: string, id: string, values: Partial<typeof skillGroups.$inferInsert>) {
      const [row] = await db
        .update(skillGroups)
        .set(values)
        .where(and(eq(skillGroups.orgId, orgId), eq(skillGroups.id, id)))
        .returning();
      return row ?? null;
    },

    async getSetting(key: string) {
      const [row] = await db.select().from(settings).where(eq(settings.key, key));
      return row?.value ?? null;
    },
    /** Insert-if-absent, then read: concurrent instances agree on the first value written. */
    async ensureSetting(key: string, value: string) {
      await db.insert(settings).values({ key, value }).onConflictDoNothing();
      const [row] = await db.select().from(settings).where(eq(settings.key, key));
      return row!.value;
    },
  };
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>;
