import type { TRole } from '@peakdesk/contracts';
import { forbidden } from './domain-error.ts';

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
};
export type CustomerCaller = { kind: 'customer'; customerId: string; storeId: string; orgId: string };
export type Caller = UserCaller | CustomerCaller;

export function requireRole(caller: Caller, ...roles: TRole[]): UserCaller {
  if (caller.kind !== 'user') throw forbidden('agents only');
  if (!roles.includes(caller.role)) throw forbidden(`requires role ${roles.join(' or ')}`);
  return caller;
}

export const isSupervisorOrAdmin = (c: UserCaller) => c.role === 'admin' || c.role === 'supervisor';
