import {
  ZConversation,
  ZCreateRoutingRuleRequest,
  ZCustomerRoutingFlags,
  ZGroupRouting,
  ZId,
  ZLeaveMessage,
  ZLeaveMessageQuery,
  ZLeaveMessageRequest,
  ZOk,
  ZQueuePosition,
  ZRoutingRule,
  ZTransferRequest,
  ZUpdateGroupRoutingRequest,
  ZUpdateLeaveMessageRequest,
  ZUpdateRoutingRuleRequest,
  ZWallSnapshot,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { customerOf, userOf } from '../../http/auth.ts';
import type { Services } from '../../services.ts';

const ZIdParams = z.object({ id: ZId });

export function registerRoutingRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);

  // ---- configuration (admin; supervisors read) ----
  r.get(
    '/api/routing/rules',
    {
      schema: {
        tags: ['routing'],
        querystring: z.object({ storeId: ZId.optional() }),
        response: { 200: z.array(ZRoutingRule) },
      },
    },
    async (req) => s.routing.listRules(await user(req), req.query.storeId),
  );
  r.post(
    '/api/routing/rules',
    { schema: { tags: ['routing'], body: ZCreateRoutingRuleRequest, response: { 201: ZRoutingRule } } },
    async (req, reply) => {
      const caller = await user(req);
      const rule = await s.routing.createRule(caller, req.body, async (id) =>
        Boolean(await s.accounts.repo.getStore(caller.orgId, id)),
      );
      return reply.status(201).send(rule);
    },
  );
  r.patch(
    '/api/routing/rules/:id',
    {
      schema: {
        tags: ['routing'],
        params: ZIdParams,
        body: ZUpdateRoutingRuleRequest,
        response: { 200: ZRoutingRule },
      },
    },
    async (req) => s.routing.updateRule(await user(req), req.params.id, req.body),
  );
  r.delete(
    '/api/routing/rules/:id',
    { schema: { tags: ['routing'], params: ZIdParams, response: { 200: ZOk } } },
    async (req) => {
      await s.routing.deleteRule(await user(req), req.params.id);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/routing/groups',
    { schema: { tags: ['routing'], response: { 200: z.array(ZGroupRouting) } } },
    async (req) => s.routing.listGroupSettings(await user(req)),
  );
  r.patch(
    '/api/routing/groups/:id',
    {
      schema: {
        tags: ['routing'],
        params: ZIdParams,
        body: ZUpdateGroupRoutingRequest,
        response: { 200: ZGroupRouting },
      },
    },
    async (req) => s.routing.updateGroupSettings(await user(req), req.params.id, req.body),
  );
  r.patch(
    '/api/customers/:id/routing',
    {
      schema: {
        tags: ['routing'],
        params: ZIdParams,
        body: ZCustomerRoutingFlags,
        response: { 200: ZCustomerRoutingFlags.extend({ id: ZId }) },
      },
    },
    async (req) => s.routing.setCustomerFlags(await user(req), req.params.id, req.body),
  );

  // ---- supervision ----
  r.get(
    '/api/routing/wall',
    {
      schema: {
        tags: ['routing'],
        // A drill organisation of the caller's may be watched as it runs.
        querystring: z.object({ orgId: ZId.optional() }),
        response: { 200: ZWallSnapshot },
      },
    },
    async (req) => {
      const caller = await user(req);
      const orgId = await s.drills.watchableOrgId(caller, req.query.orgId);
      const drill = orgId === caller.orgId ? null : await s.drillRuns.watched(orgId);
      return s.routing.wallFor(caller, orgId, drill);
    },
  );
  r.get(
    '/api/routing/leave-messages',
    {
      schema: {
        tags: ['routing'],
        querystring: ZLeaveMessageQuery,
        response: { 200: z.array(ZLeaveMessage) },
      },
    },
    async (req) => s.routing.listLeaveMessages(await user(req), req.query),
  );
  r.patch(
    '/api/routing/leave-messages/:id',
    {
      schema: {
        tags: ['routing'],
        params: ZIdParams,
        body: ZUpdateLeaveMessageRequest,
        response: { 200: ZLeaveMessage },
      },
    },
    async (req) => s.routing.updateLeaveMessage(await user(req), req.params.id, req.body),
  );
  r.post(
    '/api/conversations/:id/transfer',
    {
      schema: {
        tags: ['routing'],
        params: ZIdParams,
        body: ZTransferRequest,
        response: { 200: ZConversation },
      },
    },
    async (req) => {
      const caller = await user(req);
      await s.routing.transfer(caller, req.params.id, req.body);
      return s.chat.conversationDto(req.params.id);
    },
  );
  r.post(
    '/api/conversations/:id/take-over',
    { schema: { tags: ['routing'], params: ZIdParams, response: { 200: ZConversation } } },
    async (req) => {
      await s.routing.takeOver(await user(req), req.params.id);
      return s.chat.conversationDto(req.params.id);
    },
  );

  // ---- widget ----
  r.get(
    '/api/widget/conversations/:id/queue',
    { schema: { tags: ['widget'], params: ZIdParams, response: { 200: ZQueuePosition.nullable() } } },
    async (req) => s.routing.queuePosition(await customerOf(s.resolvers, req), req.params.id),
  );
  r.post(
    '/api/widget/conversations/:id/leave-message',
    {
      schema: {
        tags: ['widget'],
        params: ZIdParams,
        body: ZLeaveMessageRequest,
        response: { 200: z.object({ id: ZId }) },
      },
    },
    async (req) =>
      s.routing.leaveMessageByCustomer(await customerOf(s.resolvers, req), req.params.id, req.body),
  );
  r.post(
    '/api/widget/conversations/:id/keep-waiting',
    { schema: { tags: ['widget'], params: ZIdParams, response: { 200: ZQueuePosition.nullable() } } },
    async (req) => s.routing.keepWaitingByCustomer(await customerOf(s.resolvers, req), req.params.id),
  );
  r.post(
    '/api/widget/conversations/:id/leave',
    { schema: { tags: ['widget'], params: ZIdParams, response: { 200: ZOk } } },
    async (req) => {
      await s.routing.abandonByCustomer(await customerOf(s.resolvers, req), req.params.id);
      return { ok: true as const };
    },
  );
}
