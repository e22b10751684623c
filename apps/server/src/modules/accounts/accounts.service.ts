import { randomBytes } from 'node:crypto';
import {
  API_TOKEN_SCOPES,
  type TAgentStatus,
  type TApiToken,
  type TApiTokenScope,
  type TCreateTokenRequest,
  type TCreateUserRequest,
  type TMe,
  type TPlatform,
  type TSkillGroup,
  type TStore,
  type TUpdateUserRequest,
  type TUser,
} from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import type { EventBus } from '../../events/event-bus.ts';
import type { Outbox } from '../../events/outbox.ts';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { DomainError, invalidInput, notFound } from '../../http/domain-error.ts';
import { canSeeStore, isOrgWide, scopeOf } from '../../http/scope.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { PresenceEvent } from '../routing/presence-machine.ts';
import { applyPresence } from '../routing/routing.repository.ts';
import {
  type ApiTokenRow,
  createAccountsRepository,
  type GroupRow,
  type StoreRow,
  type UserWithScope,
} from './accounts.repository.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.ts';

const SESSION_DAYS = 7;

export const toUserDto = (u: UserWithScope): TUser => ({
  id: u.id,
  orgId: u.orgId,
  email: u.email,
  name: u.name,
  role: u.role,
  status: u.status,
  maxConcurrency: u.maxConcurrency,
  storeIds: u.storeIds,
  groupIds: u.groupIds,
  disabled: u.disabled,
});
export const toStoreDto = (s: StoreRow): TStore => ({
  id: s.id,
  name: s.name,
  platform: s.platform,
  defaultGroupId: s.defaultGroupId,
  greeting: s.greeting,
});
const toGroupDto = (g: GroupRow): TSkillGroup => ({
  id: g.id,
  name: g.name,
  defaultMaxConcurrency: g.defaultMaxConcurrency,
});

export const toCaller = (
  u: UserWithScope,
  via: UserCaller['via'],
  token?: UserCaller['token'],
): UserCaller => ({
  kind: 'user',
  userId: u.id,
  orgId: u.orgId,
  role: u.role,
  name: u.name,
  storeIds: u.role === 'admin' ? null : u.storeIds,
  groupIds: u.groupIds,
  via,
  ...(token ? { token } : {}),
});

/** A scope list closed downwards (admin ⊇ integration ⊇ read), in the catalogue's order. */
const closeScopes = (scopes: readonly TApiTokenScope[]): TApiTokenScope[] => {
  const top = Math.max(...scopes.map((x) => API_TOKEN_SCOPES.indexOf(x)));
  return API_TOKEN_SCOPES.slice(0, top + 1);
};
const toTokenDto = (t: ApiTokenRow): TApiToken => ({
  id: t.id,
  name: t.name,
  scopes: t.scopes,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
  createdByTokenId: t.createdByTokenId,
});

export type AccountsServiceDeps = {
  db: Database;
  bus: EventBus;
  audit: AuditService;
  /** Status changes are durable events; without it (CLI, standalone) they are written and polled. */
  outbox?: Pick<Outbox, 'nudge'>;
};

/**
 * A new skill group does not let customers wait unseen: after 10 minutes in the queue they are offered
 * to leave a message (they may keep waiting). The routing page changes or turns it off per group.
 */
export const NEW_GROUP_ROUTING = { maxWaitSeconds: 600, overflowAction: 'leave_message' } as const;

export function createAccountsService({ db, bus, audit, outbox }: AccountsServiceDeps) {
  const repo = createAccountsRepository(db);

  async function assertStoresAndGroups(orgId: string, storeIds: string[] = [], groupIds: string[] = []) {
    const [stores, groups] = await Promise.all([repo.listStores(orgId), repo.listGroups(orgId)]);
    for (const id of storeIds)
      if (!stores.some((s) => s.id === id)) throw invalidInput('storeIds', `unknown store ${id}`);
    for (const id of groupIds)
      if (!groups.some((g) => g.id === id)) throw invalidInput('groupIds', `unknown group ${id}`);
  }

  /** A presence change through the single writer, in its own transaction; pushed after the commit. */
  async function changePresence(orgId: string, userId: string, event: PresenceEvent) {
    const done = await db.transaction((tx) => applyPresence(tx as unknown as Database, userId, event));
    if (done.changed) {
      outbox?.nudge();
      bus.publish('agent.status_changed', { orgId, userId, status: done.after.status });
    }
    return done;
  }

  return {
    repo,

    async login(email: string, password: string) {
      const user = await repo.findUserByEmail(email.trim());
      // Same message for unknown user and wrong password: no account enumeration.
      const ok = user && !user.disabled && (await verifyPassword(user.passwordHash, password));
      if (!user || !ok)
        throw new DomainError('unauthenticated', 'invalid_credentials', 'wrong email or password');
      const token = newToken('pds');
      await repo.createSession(hashToken(token), user.id, new Date(Date.now() + SESSION_DAYS * 86_400_000));
      return { token, maxAgeSeconds: SESSION_DAYS * 86_400 };
    },
    /** Ends this session only (the user's other devices stay signed in) and its open sockets. */
    async logout(sessionToken: string) {
      const hash = hashToken(sessionToken);
      const row = await repo.deleteSession(hash);
      if (row) bus.publish('access.revoked', { userId: row.userId, credentials: [hash] });
    },
    async resolveSession(sessionToken: string): Promise<UserCaller | null> {
      const user = await repo.findSessionUser(hashToken(sessionToken));
      return user && !user.disabled ? toCaller(user, 'session') : null;
    },
    async resolveApiToken(token: string): Promise<UserCaller | null> {
      const found = await repo.findToken(hashToken(token));
      if (!found || found.user.disabled) return null;
      const t = found.token;
      // Named codes: an integration told "expired" knows to mint a new token, not to debug its request.
      if (t.revokedAt)
        throw new DomainError('unauthenticated', 'token_revoked', 'this API token has been revoked');
      if (t.expiresAt && t.expiresAt.getTime() <= Date.now())
        throw new DomainError(
          'unauthenticated',
          'token_expired',
          `this API token expired at ${t.expiresAt.toISOString()}`,
        );
      await repo.touchApiToken(t.id);
      return toCaller(found.user, 'token', { id: t.id, scopes: t.scopes, expiresAt: t.expiresAt });
    },
    async me(caller: UserCaller): Promise<TMe> {
      const [user, org] = await Promise.all([
        repo.getUser(caller.orgId, caller.userId),
        repo.getOrganization(caller.orgId),
      ]);
      if (!user || !org) throw notFound('user');
      return { user: toUserDto(user), orgName: org.name };
    },
    async changePassword(
      caller: UserCaller,
      currentPassword: string,
      newPassword: string,
      keepSession?: string,
    ) {
      const user = await repo.getUser(caller.orgId, caller.userId);
      if (!user || !(await verifyPassword(user.passwordHash, currentPassword)))
        throw new DomainError(
          'invalid_input',
          'wrong_password',
          'currentPassword: does not match',
          'currentPassword',
        );
      await repo.updateUser(caller.orgId, caller.userId, { passwordHash: await hashPassword(newPassword) });
      // Other sessions end: a changed password must lock out whoever knew the old one.
      const ended = await repo.deleteUserSessions(
        caller.userId,
        keepSession ? hashToken(keepSession) : undefined,
      );
      bus.publish('access.revoked', { userId: caller.userId, credentials: ended });
    },
    /**
     * The agent's own choice, through the single presence writer (status, fact and durable event in one
     * transaction; routing.agent_online drains on `online`). Choosing the status one has changes nothing;
     * `away` is refused (400 status_not_settable): only the router sets it.
     */
    async setStatus(caller: UserCaller, status: TAgentStatus): Promise<TUser> {
      await changePresence(caller.orgId, caller.userId, { type: 'manual', status });
      const user = await repo.getUser(caller.orgId, caller.userId);
      if (!user) throw notFound('user');
      return toUserDto(user);
    },

    /** A store-limited supervisor sees the people of their stores (and the org-wide admins). */
    async listUsers(caller: UserCaller): Promise<TUser[]> {
      const scope = scopeOf(requireRole(caller, 'admin', 'supervisor'));
      return (await repo.listUsers(caller.orgId))
        .filter(
          (u) => isOrgWide(scope) || u.role === 'admin' || u.storeIds.some((id) => canSeeStore(scope, id)),
        )
        .map(toUserDto);
    },
    async createUser(caller: UserCaller, req: TCreateUserRequest): Promise<TUser> {
      requireRole(caller, 'admin');
      await assertStoresAndGroups(caller.orgId, req.storeIds, req.groupIds);
      if (await repo.findUserByEmail(req.email))
        throw new DomainError('conflict', 'email_taken', 'email: already in use', 'email');
      const row = await repo.createUser(
        {
          orgId: caller.orgId,
          email: req.email,
          name: req.name,
          role: req.role,
          passwordHash: await hashPassword(req.password),
          maxConcurrency: req.maxConcurrency ?? null,
        },
        req.storeIds,
        req.groupIds,
      );
      await audit.record(caller, 'user.create', 'user', row.id, { email: row.email, role: row.role });
      return toUserDto((await repo.getUser(caller.orgId, row.id))!);
    },
    async updateUser(caller: UserCaller, id: string, req: TUpdateUserRequest): Promise<TUser> {
      requireRole(caller, 'admin');
      await assertStoresAndGroups(caller.orgId, req.storeIds, req.groupIds);
      const { storeIds, groupIds, ...values } = req;
      const before = await repo.getUser(caller.orgId, id);
      const row = await repo.updateUser(caller.orgId, id, values, storeIds, groupIds);
      if (!before || !row) throw notFound('user');
      await audit.record(caller, 'user.update', 'user', id, { ...req });
      let after = (await repo.getUser(caller.orgId, id))!;
      // Disabled: every session ends (re-enabling does not revive old cookies). Role, stores or
      // groups changed: open sockets joined rooms for the old access, so they are dropped; the
      // client reconnects and joins the rooms of the new access.
      if (after.disabled && !before.disabled) {
        await repo.deleteUserSessions(id);
        // A disabled user is offline (re-enabled, they start offline, not routed to without a socket).
        const off = await changePresence(caller.orgId, id, { type: 'disabled' });
        if (off.changed) after = { ...after, status: off.after.status };
      }
      const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
      if (
        after.disabled !== before.disabled ||
        after.role !== before.role ||
        !sameSet(after.storeIds, before.storeIds) ||
        !sameSet(after.groupIds, before.groupIds)
      )
        bus.publish('access.revoked', { userId: id, credentials: 'all' });
      return toUserDto(after);
    },

    async listStores(caller: UserCaller) {
      const scope = scopeOf(caller);
      const visible = (await repo.listStores(caller.orgId)).filter((s) => canSeeStore(scope, s.id));
      return visible.map((s) =>
        caller.role === 'admin' ? { ...toStoreDto(s), identitySecret: s.identitySecret } : toStoreDto(s),
      );
    },
    async createStore(
      caller: UserCaller,
      req: { name: string; platform: TPlatform; defaultGroupId?: string | null; greeting: string },
    ) {
      requireRole(caller, 'admin');
      if (req.defaultGroupId) await assertStoresAndGroups(caller.orgId, [], [req.defaultGroupId]);
      const row = await repo.createStore({
        orgId: caller.orgId,
        name: req.name,
        platform: req.platform,
        defaultGroupId: req.defaultGroupId ?? null,
        greeting: req.greeting,
        identitySecret: randomBytes(24).toString('hex'),
      });
      await audit.record(caller, 'store.create', 'store', row.id, { name: row.name, platform: row.platform });
      return { ...toStoreDto(row), identitySecret: row.identitySecret };
    },
    async updateStore(
      caller: UserCaller,
      id: string,
      req: Partial<{ name: string; platform: TPlatform; defaultGroupId: string | null; greeting: string }>,
    ) {
      requireRole(caller, 'admin');
      if (req.defaultGroupId) await assertStoresAndGroups(caller.orgId, [], [req.defaultGroupId]);
      const row = await repo.updateStore(caller.orgId, id, req);
      if (!row) throw notFound('store');
      await audit.record(caller, 'store.update', 'store', id, { ...req });
      return { ...toStoreDto(row), identitySecret: row.identitySecret };
    },

    /**
     * A new identity secret for the store (the old one leaked, or staff changed): buyer signatures made
     * with the old one stop verifying at once. Audit-logged without the secret.
     */
    async rotateStoreSecret(caller: UserCaller, id: string) {
      requireRole(caller, 'admin');
      const row = await repo.updateStore(caller.orgId, id, {
        identitySecret: randomBytes(24).toString('hex'),
      });
      if (!row) throw notFound('store');
      await audit.record(caller, 'store.rotate_secret', 'store', id, { name: row.name });
      return { ...toStoreDto(row), identitySecret: row.identitySecret };
    },

    async listGroups(caller: UserCaller): Promise<TSkillGroup[]> {
      return (await repo.listGroups(caller.orgId)).map(toGroupDto);
    },
    async createGroup(caller: UserCaller, req: { name: string; defaultMaxConcurrency: number }) {
      requireRole(caller, 'admin');
      if ((await repo.listGroups(caller.orgId)).some((g) => g.name === req.name))
        throw new DomainError('conflict', 'group_name_taken', 'name: a group with this name exists', 'name');
      const row = await repo.createGroup({ orgId: caller.orgId, ...req, ...NEW_GROUP_ROUTING });
      await audit.record(caller, 'group.create', 'group', row.id, { ...req });
      return toGroupDto(row);
    },
    async updateGroup(
      caller: UserCaller,
      id: string,
      req: Partial<{ name: string; defaultMaxConcurrency: number }>,
    ) {
      requireRole(caller, 'admin');
      const row = await repo.updateGroup(caller.orgId, id, req);
      if (!row) throw notFound('group');
      await audit.record(caller, 'group.update', 'group', id, { ...req });
      return toGroupDto(row);
    },

    async listTokens(caller: UserCaller): Promise<TApiToken[]> {
      requireRole(caller, 'admin');
      return (await repo.listApiTokens(caller.orgId)).map(toTokenDto);
    },
    /**
     * A token minted with a token gets no more than that one has: its scopes are a subset and it
     * expires no later (by default when the minting token does). It is recorded as minted by it, so
     * revoking the minting token revokes this one too.
     */
    async createToken(caller: UserCaller, req: TCreateTokenRequest) {
      requireRole(caller, 'admin');
      const scopes = closeScopes(req.scopes);
      const parent = caller.token;
      if (parent && !scopes.every((x) => parent.scopes.includes(x)))
        throw new DomainError(
          'forbidden',
          'scope_exceeds_token',
          `scopes: a token with scopes ${parent.scopes.join(', ')} cannot mint one with ${scopes.join(', ')}`,
          'scopes',
        );
      let expiresAt = req.expiresAt ? new Date(req.expiresAt) : null;
      if (expiresAt && expiresAt.getTime() <= Date.now())
        throw invalidInput('expiresAt', 'must be in the future');
      if (parent?.expiresAt) {
        if (expiresAt && expiresAt > parent.expiresAt)
          throw invalidInput(
            'expiresAt',
            `must not be later than the minting token's expiry (${parent.expiresAt.toISOString()})`,
          );
        expiresAt ??= parent.expiresAt;
      }
      const token = newToken('pdk');
      const row = await repo.createApiToken({
        orgId: caller.orgId,
        userId: caller.userId,
        name: req.name,
        tokenHash: hashToken(token),
        scopes,
        expiresAt,
        createdByTokenId: parent?.id ?? null,
      });
      await audit.record(caller, 'token.create', 'api_token', row.id, {
        name: req.name,
        scopes,
        expiresAt: expiresAt?.toISOString() ?? null,
        createdByTokenId: row.createdByTokenId,
      });
      return { ...toTokenDto(row), token };
    },
    /** Revokes the token and every token minted from it; their open sockets are disconnected. */
    async revokeToken(caller: UserCaller, id: string) {
      requireRole(caller, 'admin');
      const rows = await repo.revokeApiTokenTree(caller.orgId, id);
      if (!rows) throw notFound('api_token');
      await audit.record(caller, 'token.revoke', 'api_token', id, {
        name: rows[0]?.name ?? '',
        descendants: rows.filter((r) => r.id !== id).map((r) => r.id),
      });
      // Minted tokens belong to the minting token's user, so this is one user in practice.
      for (const userId of new Set(rows.map((r) => r.userId)))
        bus.publish('access.revoked', {
          userId,
          credentials: rows.filter((r) => r.userId === userId).map((r) => r.tokenHash),
        });
    },
  };
}
