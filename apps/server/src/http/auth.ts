import type { FastifyRequest } from 'fastify';
import {
  assertTokenScope,
  type Caller,
  type CustomerCaller,
  scopeNeeded,
  type UserCaller,
} from './caller.ts';
import { DomainError, forbidden } from './domain-error.ts';

export const SESSION_COOKIE = 'pd_session';

export type CallerResolvers = {
  resolveSession(token: string): Promise<UserCaller | null>;
  /** Throws `token_expired` / `token_revoked` (401) for a token that was valid once. */
  resolveApiToken(token: string): Promise<UserCaller | null>;
  resolveVisitor(token: string): Promise<CustomerCaller | null>;
};

declare module 'fastify' {
  interface FastifyRequest {
    callerPromise?: Promise<Caller | null>;
  }
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

const BEARER_PREFIXES = ['pdk_', 'vt1.', 'pds_'];

/**
 * The session cookie when it is what authenticates this request: a recognised bearer token wins over
 * it. Only these requests need the origin check (`http/origin-guard.ts`): the browser attaches the
 * cookie on its own, a bearer token only a script that holds it can send.
 */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const bearer = bearerOf(request);
  if (bearer && BEARER_PREFIXES.some((p) => bearer.startsWith(p))) return undefined;
  return request.cookies?.[SESSION_COOKIE] || undefined;
}

/** An API token only serves the routes its scopes allow (caller.ts `scopeNeeded`). */
function assertRouteScope(caller: Caller, request: FastifyRequest): void {
  if (caller.kind !== 'user' || !caller.token) return;
  const tags = (request.routeOptions.schema?.tags ?? []) as string[];
  assertTokenScope(caller, scopeNeeded(request.method, tags));
}

/** Resolves who is calling from the session cookie, an API token (pdk_…) or a visitor token (vt1.…). */
export function resolveCaller(resolvers: CallerResolvers, request: FastifyRequest): Promise<Caller | null> {
  request.callerPromise ??= (async () => {
    const bearer = bearerOf(request);
    if (bearer?.startsWith('pdk_')) return resolvers.resolveApiToken(bearer);
    if (bearer?.startsWith('vt1.')) return resolvers.resolveVisitor(bearer);
    if (bearer?.startsWith('pds_')) return resolvers.resolveSession(bearer);
    const cookie = sessionCookieOf(request);
    return cookie ? resolvers.resolveSession(cookie) : null;
  })();
  return request.callerPromise;
}

export async function userOf(resolvers: CallerResolvers, request: FastifyRequest): Promise<UserCaller> {
  const caller = await resolveCaller(resolvers, request);
  if (!caller) throw new DomainError('unauthenticated', 'unauthenticated', 'sign in first');
  if (caller.kind !== 'user') throw forbidden('agents only');
  assertRouteScope(caller, request);
  return caller;
}

export async function customerOf(
  resolvers: CallerResolvers,
  request: FastifyRequest,
): Promise<CustomerCaller> {
  const caller = await resolveCaller(resolvers, request);
  if (caller?.kind !== 'customer')
    throw new DomainError('unauthenticated', 'unauthenticated', 'a visitor token is required');
  return caller;
}

export async function anyCallerOf(resolvers: CallerResolvers, request: FastifyRequest): Promise<Caller> {
  const caller = await resolveCaller(resolvers, request);
  if (!caller) throw new DomainError('unauthenticated', 'unauthenticated', 'sign in first');
  assertRouteScope(caller, request);
  return caller;
}

/**
 * An `onRequest` hook for routes that take large bodies (imports): the caller must be signed-in staff
 * before the body is read, so an anonymous upload is answered 401 without buffering it.
 */
export function staffBeforeBody(resolvers: CallerResolvers) {
  return async (request: FastifyRequest): Promise<void> => {
    await userOf(resolvers, request);
  };
}
