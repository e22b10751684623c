import {
  IMAGE_MAX_BYTES,
  ZAttachment,
  ZConversation,
  ZConversationListQuery,
  ZCustomerProfile,
  ZHistoryPage,
  ZHistoryQuery,
  ZId,
  ZMessage,
  ZOk,
  ZReadRequest,
  ZSendMessageRequest,
  ZWidgetSession,
  ZWidgetSessionRequest,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { anyCallerOf, customerOf, userOf } from '../../http/auth.ts';
import { DomainError } from '../../http/domain-error.ts';
import { sendRefusal, type WidgetSessionThrottle } from '../../http/throttle.ts';
import type { Services } from '../../services.ts';

const ZIdParams = z.object({ id: ZId });
// The message body schema without conversationId: the path names the conversation.
const ZSendBody = z.discriminatedUnion('type', [
  ZSendMessageRequest.options[0].omit({ conversationId: true }),
  ZSendMessageRequest.options[1].omit({ conversationId: true }),
]);

export function registerChatRoutes(app: FastifyInstance, s: Services, throttle: WidgetSessionThrottle) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);
  const anyone = (req: Parameters<typeof userOf>[1]) => anyCallerOf(s.resolvers, req);

  // Images arrive as raw bytes with their own content type.
  for (const mime of [
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'application/octet-stream',
    'text/html',
  ]) {
    if (!app.hasContentTypeParser(mime))
      app.addContentTypeParser(
        mime,
        { parseAs: 'buffer', bodyLimit: IMAGE_MAX_BYTES + 1024 },
        (_req, body, done) => done(null, body),
      );
  }

  r.get(
    '/api/conversations',
    {
      schema: {
        tags: ['chat'],
        querystring: ZConversationListQuery,
        response: { 200: z.array(ZConversation) },
      },
    },
    async (req) => s.chat.listConversations(await user(req), req.query),
  );
  r.get(
    '/api/conversations/:id',
    { schema: { tags: ['chat'], params: ZIdParams, response: { 200: ZConversation } } },
    async (req) => s.chat.getConversation(await anyone(req), req.params.id),
  );
  r.get(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags: ['chat'],
        params: ZIdParams,
        querystring: ZHistoryQuery,
        response: { 200: ZHistoryPage },
      },
    },
    async (req) => s.chat.history(await anyone(req), req.params.id, req.query),
  );
  r.post(
    '/api/conversations/:id/messages',
    { schema: { tags: ['chat'], params: ZIdParams, body: ZSendBody, response: { 200: ZMessage } } },
    async (req) =>
      s.chat.sendMessage(
        await anyone(req),
        ZSendMessageRequest.parse({ ...req.body, conversationId: req.params.id }),
      ),
  );
  r.post(
    '/api/conversations/:id/read',
    { schema: { tags: ['chat'], params: ZIdParams, body: ZReadRequest, response: { 200: ZOk } } },
    async (req) => {
      await s.chat.markRead(await anyone(req), req.params.id, req.body.seq);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/conversations/:id/resolve',
    { schema: { tags: ['chat'], params: ZIdParams, response: { 200: ZConversation } } },
    async (req) => s.chat.resolve(await user(req), req.params.id),
  );
  r.get(
    '/api/conversations/:id/variables',
    { schema: { tags: ['chat'], params: ZIdParams, response: { 200: z.record(z.string(), z.string()) } } },
    async (req) => s.chat.variables(await user(req), req.params.id),
  );
  r.post(
    '/api/conversations/:id/attachments',
    {
      schema: { tags: ['chat'], params: ZIdParams, response: { 201: ZAttachment } },
      bodyLimit: IMAGE_MAX_BYTES + 1024,
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        throw new DomainError(
          'unsupported_media_type',
          'unsupported_image_type',
          'content-type: send the raw image bytes',
        );
      const mime = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      return reply
        .status(201)
        .send(await s.chat.uploadAttachment(await anyone(req), req.params.id, mime, req.body));
    },
  );
  r.get('/api/attachments/:id', { schema: { tags: ['chat'], params: ZIdParams } }, async (req, reply) => {
    const att = await s.chat.getAttachment(await anyone(req), req.params.id);
    return reply
      .header('content-type', att.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cache-control', 'private, max-age=86400')
      .send(Buffer.from(att.data));
  });
  r.get(
    '/api/customers/:id',
    { schema: { tags: ['chat'], params: ZIdParams, response: { 200: ZCustomerProfile } } },
    async (req) => s.chat.customerProfile(await user(req), req.params.id),
  );
  r.post(
    '/api/customers/:id/revoke-visitor-tokens',
    { schema: { tags: ['chat'], params: ZIdParams, response: { 200: ZOk } } },
    async (req) => {
      await s.chat.revokeVisitorTokens(await user(req), req.params.id);
      return { ok: true as const };
    },
  );

  // ---- widget ----
  r.post(
    '/api/widget/session',
    { schema: { tags: ['widget'], body: ZWidgetSessionRequest, response: { 200: ZWidgetSession } } },
    async (req, reply) => {
      const refused = await throttle.take(req.ip, req.body.storeId, async () => {
        const store = await s.accounts.repo.getStoreById(req.body.storeId);
        return Boolean(store && (await s.accounts.repo.getOrganization(store.orgId))?.isDrill);
      });
      if (refused) return sendRefusal(reply, 'rate_limited', refused);
      return s.chat.startWidgetSession(req.body);
    },
  );
  r.post('/api/widget/logout', { schema: { tags: ['widget'], response: { 200: ZOk } } }, async (req) => {
    await s.chat.visitorLogout(await customerOf(s.resolvers, req));
    return { ok: true as const };
  });
  r.get(
    '/api/widget/conversations',
    { schema: { tags: ['widget'], response: { 200: z.array(ZConversation) } } },
    async (req) => s.chat.listCustomerConversations(await customerOf(s.resolvers, req)),
  );
  r.post(
    '/api/widget/conversations',
    {
      schema: {
        tags: ['widget'],
        body: z
          .object({ entry: z.enum(['store_page', 'order_page', 'product_page']).default('store_page') })
          .default({ entry: 'store_page' }),
        response: { 200: ZConversation },
      },
    },
    async (req) => s.chat.openConversation(await customerOf(s.resolvers, req), req.body.entry),
  );
}
