import { type Database, schema } from '@peakdesk/db';
import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';

const { organizations, stores, skillGroups, users, userStores, groupMembers, sessions, apiTokens, settings } =
  schema;

export type UserRow = typeof users.$inferSelect;
export type StoreRow = typeof stores.$inferSelect;
export type GroupRow = typeof skillGroups.$inferSelect;
export type UserWithScope = UserRow & { storeIds: string[]; groupIds: string[] };

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
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
    async deleteUserSessions(userId: string, exceptHash?: string) {
      const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
      const stale = rows.filter((r) => r.tokenHash !== exceptHash).map((r) => r.tokenHash);
      if (stale.length) await db.delete(sessions).where(inArray(sessions.tokenHash, stale));
    },

    async createApiToken(orgId: string, userId: string, name: string, tokenHash: string) {
      const [row] = await db.insert(apiTokens).values({ orgId, userId, name, tokenHash }).returning();
      return row!;
    },
    async listApiTokens(orgId: string) {
      return db.select().from(apiTokens).where(eq(apiTokens.orgId, orgId)).orderBy(desc(apiTokens.createdAt));
    },
    async revokeApiToken(orgId: string, id: string) {
      const [row] = await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning();
      return row ?? null;
    },
    async findTokenUser(tokenHash: string) {
      const [row] = await db
        .select({ user: users, tokenId: apiTokens.id })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
      if (!row) return null;
      await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
      return (await withScope([row.user]))[0]!;
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
