import {
  ZDeadEventReplayParams,
  ZDeadJobReplayParams,
  ZDeadLetterBacklog,
  ZDeadLetterList,
  ZDeadLetterListQuery,
  ZOk,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../services.ts';
import { userOf } from './auth.ts';

/** Admin only: the organisation's dead outbox deliveries and dead jobs, their backlog, replay. */
export function registerDeadLettersRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);
  r.get(
    '/api/dead-letters',
    { schema: { tags: ['admin'], querystring: ZDeadLetterListQuery, response: { 200: ZDeadLetterList } } },
    async (req) => s.deadLetters.list(await user(req), req.query),
  );
  r.get(
    '/api/dead-letters/backlog',
    { schema: { tags: ['admin'], response: { 200: ZDeadLetterBacklog } } },
    async (req) => s.deadLetters.backlog(await user(req)),
  );
  r.post(
    '/api/dead-letters/events/:listener/:eventId/replay',
    { schema: { tags: ['admin'], params: ZDeadEventReplayParams, response: { 200: ZOk } } },
    async (req) => {
      await s.deadLetters.replayEvent(await user(req), req.params.listener, req.params.eventId);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/dead-letters/jobs/:id/replay',
    { schema: { tags: ['admin'], params: ZDeadJobReplayParams, response: { 200: ZOk } } },
    async (req) => {
      await s.deadLetters.replayJob(await user(req), req.params.id);
      return { ok: true as const };
    },
  );
}
