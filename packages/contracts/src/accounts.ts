import { z } from 'zod';
import { updateSchemaOf, ZAgentStatus, ZId, ZPlatform, ZRole } from './common.ts';

export const ZLoginRequest = z.object({
  email: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(200),
});
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(8, 'must be at least 8 characters').max(200),
});

export const ZUser = z.object({
  id: ZId,
  orgId: ZId,
  email: z.string(),
  name: z.string(),
  role: ZRole,
  status: ZAgentStatus,
  maxConcurrency: z.number().int().nullable(),
  storeIds: z.array(ZId),
  groupIds: z.array(ZId),
  disabled: z.boolean(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZMe = z.object({ user: ZUser, orgName: z.string() });
export type TMe = z.infer<typeof ZMe>;

/** `GET /api/auth/session`: who is signed in, answered 200 either way so a first visit logs no 401. */
export const ZSessionState = z.discriminatedUnion('authenticated', [
  z.object({ authenticated: z.literal(false) }),
  z.object({ authenticated: z.literal(true), me: ZMe }),
]);
export type TSessionState = z.infer<typeof ZSessionState>;

export const ZCreateUserRequest = z.object({
  email: z.string().trim().max(200).pipe(z.email('must be an email address')),
  name: z.string().trim().min(1).max(100),
  role: ZRole,
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  maxConcurrency: z.number().int().min(1).max(50).nullable().optional(),
  storeIds: z.array(ZId).default([]),
  groupIds: z.array(ZId).default([]),
});
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequest>;

/** An organisation and its first admin: the setup page, `peakdesk admin create` and `peakdesk org create`. */
export const ZCreateOrganizationRequest = z.object({
  orgName: z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters'),
  name: z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters'),
  email: z.string().trim().max(200).pipe(z.email('must be an email address')),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
});
export type TCreateOrganizationRequest = z.infer<typeof ZCreateOrganizationRequest>;

/** First run: the token printed by `peakdesk start` proves the caller can see the server's console. */
export const ZSetupRequest = ZCreateOrganizationRequest.extend({
  token: z.string().trim().min(1, 'is empty').max(200),
});
export type TSetupRequest = z.infer<typeof ZSetupRequest>;
export const ZSetupStatus = z.object({ isNeeded: z.boolean() });

export const ZUpdateUserRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  role: ZRole.optional(),
  maxConcurrency: z.number().int().min(1).max(50).nullable().optional(),
  storeIds: z.array(ZId).optional(),
  groupIds: z.array(ZId).optional(),
  disabled: z.boolean().optional(),
});
export type TUpdateUserRequest = z.infer<typeof ZUpdateUserRequest>;

/** What an agent may choose; `away` is only ever set by the router. */
export const ZSettableAgentStatus = z.enum(['online', 'paused', 'offline']);
/**
 * Any status parses; the presence machine decides what may be chosen: `away` is answered 400
 * `status_not_settable` (field `status`), so the rule lives in one place.
 */
export const ZSetStatusRequest = z.object({ status: ZAgentStatus });

export const ZStore = z.object({
  id: ZId,
  name: z.string(),
  platform: ZPlatform,
  defaultGroupId: ZId.nullable(),
  greeting: z.string(),
});
export type TStore = z.infer<typeof ZStore>;
/** Only admins see the secret used to sign buyer identities. */
export const ZStoreWithSecret = ZStore.extend({ identitySecret: z.string() });

export const ZCreateStoreRequest = z.object({
  name: z.string().trim().min(1).max(100),
  platform: ZPlatform,
  defaultGroupId: ZId.nullable().optional(),
  greeting: z.string().max(500).default(''),
});
export const ZUpdateStoreRequest = updateSchemaOf(ZCreateStoreRequest);

export const ZSkillGroup = z.object({
  id: ZId,
  name: z.string(),
  defaultMaxConcurrency: z.number().int(),
});
export type TSkillGroup = z.infer<typeof ZSkillGroup>;
export const ZCreateGroupRequest = z.object({
  name: z.string().trim().min(1).max(100),
  defaultMaxConcurrency: z.number().int().min(1).max(50).default(5),
});
export const ZUpdateGroupRequest = updateSchemaOf(ZCreateGroupRequest);

/**
 * What an API token may do, on top of its user's role: `read` only GETs, `integration` also writes
 * (messages, tickets, knowledge…) but not the admin routes (users, stores, groups, tokens, audit, the
 * caller's password), `admin` everything its user can. Each scope includes the ones before it.
 */
export const API_TOKEN_SCOPES = ['read', 'integration', 'admin'] as const;
export const ZApiTokenScope = z.enum(API_TOKEN_SCOPES);
export type TApiTokenScope = z.infer<typeof ZApiTokenScope>;

export const ZApiToken = z.object({
  id: ZId,
  name: z.string(),
  /** Always closed downwards: a token with `integration` lists `read` too. */
  scopes: z.array(ZApiTokenScope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** null = never expires. */
  expiresAt: z.string().nullable(),
  /** The token that minted this one (null = minted from a signed-in session); revoking it revokes this. */
  createdByTokenId: ZId.nullable(),
});
export type TApiToken = z.infer<typeof ZApiToken>;
export const ZCreateTokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  /** Default `admin` (what every token could do before scopes existed). */
  scopes: z.array(ZApiTokenScope).min(1, 'must name at least one scope').max(3).default(['admin']),
  /** ISO 8601 with an offset; omitted = never (or, minted by a token that expires, when that one does). */
  expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).nullable().optional(),
});
export type TCreateTokenRequest = z.infer<typeof ZCreateTokenRequest>;
/** The plain token is shown once, at creation. */
export const ZCreatedToken = ZApiToken.extend({ token: z.string() });

/**
 * Every action the audit log records, and the kinds of thing it records them on. The server's `record`
 * only takes these, and the web app has a label for each (a test checks both dictionaries).
 */
export const AUDIT_ACTIONS = [
  'article.create',
  'article.delete',
  'article.update',
  'bot.settings',
  'customer.revoke_visitor_tokens',
  'customer.routing_flags',
  'drill.create',
  'faq.create',
  'faq.delete',
  'faq.import',
  'faq.update',
  'group.create',
  'organization.create',
  'group.update',
  'quick_reply.create',
  'quick_reply.delete',
  'quick_reply.update',
  'routing.group.update',
  'routing.leave_message.update',
  'routing.rule.create',
  'routing.rule.delete',
  'routing.rule.update',
  'store.create',
  'store.rotate_secret',
  'store.update',
  'token.create',
  'token.revoke',
  'user.create',
  'user.update',
  'workforce_history.import',
  'workforce_plan.create',
  'workforce_plan.publish',
  'workforce_plan.version',
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_TARGET_TYPES = [
  'api_token',
  'article',
  'customer',
  'faq',
  'group',
  'leave_message',
  'organization',
  'quick_reply',
  'routing_rule',
  'store',
  'user',
  'workforce_history',
  'workforce_plan',
] as const;
export type TAuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const ZAuditEntry = z.object({
  id: z.number(),
  actorId: ZId.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
