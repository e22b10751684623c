import type { FastifyInstance } from 'fastify';

/**
 * `application/json` with an empty body is what many HTTP clients send on action routes that take
 * no body (`POST …/resolve`); Fastify's own parser answers 400 "Body cannot be empty". An empty
 * (or whitespace-only) body is read as no body instead: routes without a body schema accept it,
 * routes with one still answer 400 naming the missing body. Anything else goes to Fastify's
 * parser, which keeps its prototype-poisoning protection.
 */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(req, text, done);
  });
}
