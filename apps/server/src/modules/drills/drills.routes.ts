import {
  ZCreateDrillRequest,
  ZDrillOrganization,
  ZDrillRun,
  ZId,
  ZStartDrillRunRequest,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../../http/auth.ts';
import type { Services } from '../../services.ts';

const ZIdParams = z.object({ id: ZId });

export function registerDrillsRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);
  r.post(
    '/api/drills/organizations',
    { schema: { tags: ['drills'], body: ZCreateDrillRequest, response: { 201: ZDrillOrganization } } },
    async (req, reply) =>
      reply.status(201).send(await s.drills.createDrillOrganization(await user(req), req.body)),
  );
  r.post(
    '/api/drills/runs',
    { schema: { tags: ['drills'], body: ZStartDrillRunRequest, response: { 201: ZDrillRun } } },
    async (req, reply) => reply.status(201).send(await s.drillRuns.start(await user(req), req.body)),
  );
  r.get(
    '/api/drills/runs',
    { schema: { tags: ['drills'], response: { 200: z.array(ZDrillRun) } } },
    async (req) => s.drillRuns.list(await user(req)),
  );
  r.get(
    '/api/drills/runs/:id',
    { schema: { tags: ['drills'], params: ZIdParams, response: { 200: ZDrillRun } } },
    async (req) => s.drillRuns.get(await user(req), req.params.id),
  );
  r.get(
    '/api/drills/runs/:id/report',
    { schema: { tags: ['drills'], params: ZIdParams } },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .send(await s.drillRuns.report(await user(req), req.params.id)),
  );
}
