/**
 * The one error class domain code throws. `kind` decides the HTTP status at the edge; `code` is the
 * stable, domain-specific identifier clients see (e.g. `conversation_not_found`).
 */
export type ErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) =>
  new DomainError('not_found', `${what}_not_found`, `${what} not found`);
export const forbidden = (message = 'not allowed') => new DomainError('forbidden', 'forbidden', message);
export const invalidInput = (field: string, message: string) =>
  new DomainError('invalid_input', 'invalid_input', `${field}: ${message}`, field);

export function assertUnreachable(x: never): never {
  throw new Error(`unreachable: ${String(x)}`);
}

export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid_input':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'invalid_state':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    default:
      return assertUnreachable(kind);
  }
}
