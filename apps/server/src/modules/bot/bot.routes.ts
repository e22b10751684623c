import {
  ZBotContext,
  ZBotSettings,
  ZBotTryRequest,
  ZBotTryResult,
  ZId,
  ZOk,
  ZSuggestions,
  ZUnansweredQuestion,
  ZUpdateBotSettingsRequest,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../../http/auth.ts';
import type { Services } from '../../services.ts';

const ZIdParams = z.object({ id: ZId });
const ZStoreParams = z.object({ storeId: ZId });

export function registerBotRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);

  r.get(
    '/api/stores/:storeId/bot-settings',
    { schema: { tags: ['bot'], params: ZStoreParams, response: { 200: ZBotSettings } } },
    async (req) => s.bot.getSettings(await user(req), req.params.storeId),
  );
  r.put(
    '/api/stores/:storeId/bot-settings',
    {
      schema: {
        tags: ['bot'],
        params: ZStoreParams,
        body: ZUpdateBotSettingsRequest,
        response: { 200: ZBotSettings },
      },
    },
    async (req) => s.bot.updateSettings(await user(req), req.params.storeId, req.body),
  );
  r.post(
    '/api/bot/try',
    { schema: { tags: ['bot'], body: ZBotTryRequest, response: { 200: ZBotTryResult } } },
    async (req) => s.bot.tryBot(await user(req), req.body.text, req.body.storeId),
  );
  r.get(
    '/api/bot/unanswered',
    {
      schema: {
        tags: ['bot'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
        response: { 200: z.array(ZUnansweredQuestion) },
      },
    },
    async (req) => s.bot.listUnanswered(await user(req), req.query.limit),
  );
  r.post(
    '/api/bot/unanswered/:id/close',
    {
      schema: {
        tags: ['bot'],
        params: ZIdParams,
        body: z.object({ status: z.enum(['resolved', 'dismissed']) }),
        response: { 200: ZOk },
      },
    },
    async (req) => {
      await s.bot.closeUnanswered(await user(req), req.params.id, req.body.status);
      return { ok: true as const };
    },
  );
  r.get(
    '/api/conversations/:id/suggestions',
    { schema: { tags: ['bot'], params: ZIdParams, response: { 200: ZSuggestions } } },
    async (req) => s.bot.suggestions(await user(req), req.params.id),
  );
  r.get(
    '/api/conversations/:id/bot-context',
    { schema: { tags: ['bot'], params: ZIdParams, response: { 200: ZBotContext } } },
    async (req) => s.bot.context(await user(req), req.params.id),
  );
}
