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
    });
  }
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
    return reply.status(fe.statusCode).send({ code, message: fe.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ code: 'internal', message: 'internal error' });
}
