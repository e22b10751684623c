import {
  ZArticle,
  ZArticleInput,
  ZCreateFaqRequest,
  ZFaq,
  ZFaqFileFormat,
  ZFaqImportQuery,
  ZFaqImportResult,
  ZFaqListQuery,
  ZId,
  ZOk,
  ZUpdateArticleRequest,
  ZUpdateFaqRequest,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffBeforeBody, userOf } from '../../http/auth.ts';
import { DomainError } from '../../http/domain-error.ts';
import type { Services } from '../../services.ts';

const ZFaqParams = z.object({ id: z.string().min(1).max(64) });
const ZIdParams = z.object({ id: ZId });
const IMPORT_LIMIT = 20 * 1024 * 1024;
const FILE_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

export function registerKnowledgeRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);
  for (const mime of FILE_TYPES) {
    if (!app.hasContentTypeParser(mime))
      app.addContentTypeParser(mime, { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT }, (_req, body, done) =>
        done(null, body),
      );
  }

  r.get(
    '/api/faqs',
    { schema: { tags: ['knowledge'], querystring: ZFaqListQuery, response: { 200: z.array(ZFaq) } } },
    async (req) => s.knowledge.listFaqs(await user(req), req.query),
  );
  r.post(
    '/api/faqs',
    { schema: { tags: ['knowledge'], body: ZCreateFaqRequest, response: { 201: ZFaq } } },
    async (req, reply) => reply.status(201).send(await s.knowledge.createFaq(await user(req), req.body)),
  );
  r.post(
    '/api/faqs/import',
    {
      schema: {
        tags: ['knowledge'],
        description: 'Body: the CSV or XLSX file (columns id,category,question,answer,similar_questions).',
        querystring: ZFaqImportQuery,
        response: { 200: ZFaqImportResult },
      },
      bodyLimit: IMPORT_LIMIT,
      onRequest: staffBeforeBody(s.resolvers),
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw new DomainError(
          'unsupported_media_type',
          'unsupported_file_type',
          `content-type: send the file as ${FILE_TYPES.join(' or ')}`,
          'content-type',
        );
      const format = req.query.format;
      return s.knowledge.importForCaller(await user(req), req.body, {
        format,
        source: req.query.filename ?? `upload.${format}`,
        storeId: req.query.storeId,
      });
    },
  );
  r.get(
    '/api/faqs/export',
    { schema: { tags: ['knowledge'], querystring: z.object({ format: ZFaqFileFormat.default('csv') }) } },
    async (req, reply) => {
      const format = req.query.format;
      const data = await s.knowledge.exportFile(await user(req), format);
      return reply
        .header(
          'content-type',
          format === 'xlsx'
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="faq.${format}"`)
        .send(data);
    },
  );
  r.get(
    '/api/faqs/:id',
    { schema: { tags: ['knowledge'], params: ZFaqParams, response: { 200: ZFaq } } },
    async (req) => s.knowledge.getFaq(await user(req), req.params.id),
  );
  r.patch(
    '/api/faqs/:id',
    { schema: { tags: ['knowledge'], params: ZFaqParams, body: ZUpdateFaqRequest, response: { 200: ZFaq } } },
    async (req) => s.knowledge.updateFaq(await user(req), req.params.id, req.body),
  );
  r.delete(
    '/api/faqs/:id',
    { schema: { tags: ['knowledge'], params: ZFaqParams, response: { 200: ZOk } } },
    async (req) => {
      await s.knowledge.deleteFaq(await user(req), req.params.id);
      return { ok: true as const };
    },
  );

  r.get(
    '/api/articles',
    { schema: { tags: ['knowledge'], response: { 200: z.array(ZArticle) } } },
    async (req) => s.knowledge.listArticles(await user(req)),
  );
  r.post(
    '/api/articles',
    { schema: { tags: ['knowledge'], body: ZArticleInput, response: { 201: ZArticle } } },
    async (req, reply) => reply.status(201).send(await s.knowledge.createArticle(await user(req), req.body)),
  );
  r.patch(
    '/api/articles/:id',
    {
      schema: {
        tags: ['knowledge'],
        params: ZIdParams,
        body: ZUpdateArticleRequest,
        response: { 200: ZArticle },
      },
    },
    async (req) => s.knowledge.updateArticle(await user(req), req.params.id, req.body),
  );
  r.delete(
    '/api/articles/:id',
    { schema: { tags: ['knowledge'], params: ZIdParams, response: { 200: ZOk } } },
    async (req) => {
      await s.knowledge.deleteArticle(await user(req), req.params.id);
      return { ok: true as const };
    },
  );
}
