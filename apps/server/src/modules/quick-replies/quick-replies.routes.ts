import {
  ZCreateQuickReplyRequest,
  ZId,
  ZOk,
  ZQuickReply,
  ZQuickReplyQuery,
  ZUpdateQuickReplyRequest,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../../http/auth.ts';
import type { Services } from '../../services.ts';

const ZIdParams = z.object({ id: ZId });

export function registerQuickRepliesRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);
  r.get(
    '/api/quick-replies',
    {
      schema: {
        tags: ['quick-replies'],
        querystring: ZQuickReplyQuery,
        response: { 200: z.array(ZQuickReply) },
      },
    },
    async (req) => s.quickReplies.list(await user(req), req.query),
  );
  r.post(
    '/api/quick-replies',
    { schema: { tags: ['quick-replies'], body: ZCreateQuickReplyRequest, response: { 201: ZQuickReply } } },
    async (req, reply) => reply.status(201).send(await s.quickReplies.create(await user(req), req.body)),
  );
  r.patch(
    '/api/quick-replies/:id',
    {
      schema: {
        tags: ['quick-replies'],
        params: ZIdParams,
        body: ZUpdateQuickReplyRequest,
        response: { 200: ZQuickReply },
      },
    },
    async (req) => s.quickReplies.update(await user(req), req.params.id, req.body),
  );
  r.delete(
    '/api/quick-replies/:id',
    { schema: { tags: ['quick-replies'], params: ZIdParams, response: { 200: ZOk } } },
    async (req) => {
      await s.quickReplies.remove(await user(req), req.params.id);
      return { ok: true as const };
    },
  );
}
