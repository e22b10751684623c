import type { TApiTokenScope, TRole } from '@peakdesk/contracts';
import { DomainError, forbidden } from './domain-error.ts';

/** Who is asking. Every service call takes one; `scopeOf(caller)` (http/scope.ts) scopes its queries. */
export type UserCaller = {
  kind: 'user';
  userId: string;
  orgId: string;
  role: TRole;
  name: string;
  /** null = every store of the organisation (admins). */
  storeIds: string[] | null;
  groupIds: string[];
  via: 'session' | 'token';
  /** Set when the caller signed in with an API token: what it may do on top of the role. */
  token?: { id: string; scopes: TApiTokenScope[]; expiresAt: Date | null };
};
export type CustomerCaller = {
  kind: 'customer';
  customerId: string;
  storeId: string;
  orgId: string;
  /** When the visitor token it came with expires (an open socket is disconnected then). */
  expiresAt?: Date;
};
export type Caller = UserCaller | CustomerCaller;

export function requireRole(caller: Caller, ...roles: TRole[]): UserCaller {
  if (caller.kind !== 'user') throw forbidden('agents only');
  if (!roles.includes(caller.role)) throw forbidden(`requires role ${roles.join(' or ')}`);
  return caller;
}

export const isSupervisorOrAdmin = (c: UserCaller) => c.role === 'admin' || c.role === 'supervisor';

/**
 * The scope a request needs from an API token: the admin routes (tag `admin`: users, stores, groups,
 * tokens, audit) and writes to the caller's own sign-in (tag `auth`: password) need `admin`, any other
 * write needs `integration`, a read needs `read`. Sessions are not limited (their role is).
 */
export function scopeNeeded(method: string, tags: readonly string[]): TApiTokenScope {
  const isRead = method === 'GET' || method === 'HEAD';
  if (tags.includes('admin') || (tags.includes('auth') && !isRead)) return 'admin';
  return isRead ? 'read' : 'integration';
}

export function assertTokenScope(caller: Caller, scope: TApiTokenScope): void {
  if (caller.kind !== 'user' || !caller.token || caller.token.scopes.includes(scope)) return;
  throw new DomainError('forbidden', 'insufficient_scope', `this API token needs the ${scope} scope`);
}
