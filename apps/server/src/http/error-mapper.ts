import type { TErrorReason } from '@peakdesk/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, statusOf } from './domain-error.ts';

/** The one place errors become HTTP: `{code, message, field?}`, never a stack trace, never a 500 for bad input. */
export function handleError(
  error: FastifyError | DomainError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof DomainError) {
    return reply.status(statusOf(error.kind)).send({
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const path = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const where = error.validationContext ?? 'body';
    const field = path || where;
    return reply.status(400).send({
      code: 'invalid_input',
      message: `${where}${path ? `.${path}` : ''}: ${first?.message ?? 'is invalid'}`,
      field,
      ...reasonOf(first?.keyword ?? '', first?.message ?? '', first?.params ?? {}),
    });
  }
  const unique = uniqueViolationOf(error);
  if (unique) return reply.status(409).send(unique);
  const fe = error as FastifyError;
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'payload_too_large'
        : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported_media_type'
          : fe.statusCode === 429
            ? 'rate_limited'
            : 'bad_request';
    const message =
      code === 'payload_too_large'
        ? `request body is larger than the limit of ${request.routeOptions.bodyLimit ?? 'the server'} bytes`
        : fe.message;
    return reply.status(fe.statusCode).send({ code, message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ code: 'internal', message: 'internal error' });
}

/**
 * A unique constraint's name → the field (and code) a client sees. A write that loses a race with an
 * equal one (two admins creating one email) gets the same 409 as the service's own pre-check gives.
 */
const UNIQUE_FIELDS: Record<string, { code: string; field: string }> = {
  users_email_key: { code: 'email_taken', field: 'email' },
  skill_groups_org_id_name_key: { code: 'group_name_taken', field: 'name' },
  faqs_pkey: { code: 'already_exists', field: 'id' },
};

/** PostgreSQL's and PGlite's unique_violation (23505), however deep a driver or ORM wrapped it. */
function uniqueViolationOf(error: unknown): { code: string; message: string; field?: string } | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const db = e as { code?: unknown; constraint?: unknown; detail?: unknown; cause?: unknown };
    if (db.code === '23505') {
      const known = typeof db.constraint === 'string' ? UNIQUE_FIELDS[db.constraint] : undefined;
      // "Key (org_id, name)=(…) already exists.": the last column names the field.
      const column = typeof db.detail === 'string' ? /^Key \(([^)]*)\)/.exec(db.detail)?.[1] : undefined;
      const field =
        known?.field ??
        column
          ?.split(',')
          .at(-1)
          ?.trim()
          .replace(/_(\w)/g, (_, c) => c.toUpperCase());
      return {
        code: known?.code ?? 'already_exists',
        message: field ? `${field}: already exists` : 'already exists',
        ...(field ? { field } : {}),
      };
    }
    e = db.cause;
  }
  return null;
}

/** The zod issue as a reason a client can translate (too_long with limit 2000, email, required…). */
function reasonOf(
  issueCode: string,
  message: string,
  params: Record<string, unknown>,
): { reason: TErrorReason; limit?: number } {
  const origin = params.origin;
  const size = (forString: TErrorReason, forArray: TErrorReason, forNumber: TErrorReason, bound: unknown) => {
    const reason =
      origin === 'string' ? forString : origin === 'array' || origin === 'set' ? forArray : forNumber;
    return typeof bound === 'number' || typeof bound === 'bigint'
      ? { reason, limit: Number(bound) }
      : { reason };
  };
  switch (issueCode) {
    case 'invalid_type':
      return { reason: /received undefined/.test(message) ? 'required' : 'type' };
    case 'too_small':
      if (origin === 'string' && params.minimum === 1) return { reason: 'required' };
      return size('too_short', 'too_few', 'too_small', params.minimum);
    case 'too_big':
      return size('too_long', 'too_many', 'too_big', params.maximum);
    case 'invalid_format':
      return { reason: params.format === 'email' ? 'email' : 'format' };
    case 'invalid_value':
      return { reason: 'choice' };
    case 'unrecognized_keys':
      return { reason: 'unknown_key' };
    default:
      return { reason: 'invalid' };
  }
}
