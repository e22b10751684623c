import type { FastifyRequest } from 'fastify';
import { sessionCookieOf } from './auth.ts';
import { DomainError } from './domain-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** Where a browser says a request came from: `Origin`, else the `Referer`'s origin, else `Sec-Fetch-Site`. */
function requestSource(headers: FastifyRequest['headers']): { origin: string } | { site: string } | null {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== '') return { origin };
  const referer = headers.referer;
  if (typeof referer === 'string' && referer !== '') return { origin: originOf(referer) ?? 'null' };
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== '') return { site };
  return null;
}

/**
 * CSRF defence for the session cookie: a write (POST, PUT, PATCH, DELETE) authenticated by the cookie
 * must come from the server's own origin or one in `PEAKDESK_ALLOWED_ORIGINS` (plus
 * `PEAKDESK_PUBLIC_URL`'s). The cookie is `SameSite=Lax`, which still lets a page on a sibling
 * subdomain (same site) post with it; this check does not. Bearer tokens (API, visitor, session as
 * bearer) are never sent by a browser on its own and are not checked: the widget on merchants' shops
 * authenticates with its visitor token. A request without any of the headers is not from a browser
 * (curl, the CLI) and passes.
 */
export function createOriginGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return async (request: FastifyRequest): Promise<void> => {
    if (SAFE_METHODS.has(request.method) || !sessionCookieOf(request)) return;
    const source = requestSource(request.headers);
    if (!source) return;
    if ('site' in source) {
      // No Origin or Referer: the browser's own verdict. `none` is a request the user started.
      if (source.site === 'same-origin' || source.site === 'none') return;
      throw new DomainError(
        'forbidden',
        'origin_not_allowed',
        `a ${source.site} request may not use the session cookie (it sent no Origin); use a bearer token`,
      );
    }
    const own = `${request.protocol}://${request.host}`;
    if (source.origin === own || allowed.has(source.origin)) return;
    throw new DomainError(
      'forbidden',
      'origin_not_allowed',
      `origin ${source.origin} may not use the session cookie: it is neither this server's origin nor in PEAKDESK_ALLOWED_ORIGINS (or use a bearer token)`,
    );
  };
}
