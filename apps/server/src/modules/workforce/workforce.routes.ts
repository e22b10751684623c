import {
  ZCreatePlanRequest,
  ZFactsVolumeQuery,
  ZHistoryImportQuery,
  ZId,
  ZIntradayQuery,
  ZIntradayView,
  ZMyShift,
  ZMyShiftsQuery,
  ZPlan,
  ZPlanComparison,
  ZPlanDetail,
  ZPlanVersion,
  ZPromotionDayTemplate,
  ZSavePlanVersionRequest,
  ZVolumeHistory,
  ZVolumeSeries,
} from '@peakdesk/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffBeforeBody, userOf } from '../../http/auth.ts';
import { DomainError } from '../../http/domain-error.ts';
import type { Services } from '../../services.ts';

const IMPORT_LIMIT = 20 * 1024 * 1024;
const FILE_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];
const ZPlanParams = z.object({ id: ZId });
const ZVersionParams = z.object({ id: ZId, version: z.coerce.number().int().positive() });
const ZDateQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .optional(),
});

export function registerWorkforceRoutes(app: FastifyInstance, s: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof userOf>[1]) => userOf(s.resolvers, req);
  for (const mime of FILE_TYPES) {
    if (!app.hasContentTypeParser(mime))
      app.addContentTypeParser(mime, { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT }, (_req, body, done) =>
        done(null, body),
      );
  }
  const tags = ['workforce'];

  r.post(
    '/api/workforce/histories/import',
    {
      schema: {
        tags,
        description:
          'Body: the CSV or XLSX file (columns timestamp,count; ISO 8601 times). One bad row rejects the file.',
        querystring: ZHistoryImportQuery,
        response: { 201: ZVolumeHistory },
      },
      bodyLimit: IMPORT_LIMIT,
      onRequest: staffBeforeBody(s.resolvers),
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        throw new DomainError(
          'unsupported_media_type',
          'unsupported_file_type',
          `content-type: send the file as ${FILE_TYPES.join(' or ')}`,
          'content-type',
        );
      const { format } = req.query;
      const history = await s.workforce.importHistory(await user(req), req.body, {
        format,
        fileName: req.query.filename ?? `history.${format}`,
        name: req.query.name,
        storeId: req.query.storeId,
        groupId: req.query.groupId,
      });
      return reply.status(201).send(history);
    },
  );
  r.get(
    '/api/workforce/histories',
    { schema: { tags, response: { 200: z.array(ZVolumeHistory) } } },
    async (req) => s.workforce.listHistories(await user(req)),
  );
  r.get(
    '/api/workforce/volume',
    {
      schema: {
        tags,
        description: 'Conversations created per interval (from facts) over the last days.',
        querystring: ZFactsVolumeQuery,
        response: { 200: ZVolumeSeries },
      },
    },
    async (req) => s.workforce.factsVolume(await user(req), req.query),
  );
  r.get(
    '/api/workforce/templates/promotion-day',
    { schema: { tags, querystring: ZDateQuery, response: { 200: ZPromotionDayTemplate } } },
    async (req) => s.workforce.promotionTemplate(await user(req), req.query.date),
  );

  r.get('/api/workforce/plans', { schema: { tags, response: { 200: z.array(ZPlan) } } }, async (req) =>
    s.workforce.listPlans(await user(req)),
  );
  r.post(
    '/api/workforce/plans',
    {
      schema: {
        tags,
        description: 'Creates a plan and computes version 1 (forecast → staffing → schedule → roster).',
        body: ZCreatePlanRequest,
        response: { 201: ZPlanDetail.extend({ version: ZPlanVersion }) },
      },
    },
    async (req, reply) => reply.status(201).send(await s.workforce.createPlan(await user(req), req.body)),
  );
  r.get(
    '/api/workforce/plans/:id',
    { schema: { tags, params: ZPlanParams, response: { 200: ZPlanDetail } } },
    async (req) => s.workforce.getPlan(await user(req), req.params.id),
  );
  r.post(
    '/api/workforce/plans/:id/versions',
    {
      schema: {
        tags,
        description: 'Computes and saves a new immutable version from these settings.',
        params: ZPlanParams,
        body: ZSavePlanVersionRequest,
        response: { 201: ZPlanVersion },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.workforce.saveVersion(await user(req), req.params.id, req.body)),
  );
  r.get(
    '/api/workforce/plans/:id/versions/:version',
    { schema: { tags, params: ZVersionParams, response: { 200: ZPlanVersion } } },
    async (req) => s.workforce.getVersion(await user(req), req.params.id, req.params.version),
  );
  r.post(
    '/api/workforce/plans/:id/versions/:version/publish',
    {
      schema: {
        tags,
        description: "Makes this version's roster the one agents see in 我的班次.",
        params: ZVersionParams,
        response: { 200: ZPlanDetail },
      },
    },
    async (req) => s.workforce.publish(await user(req), req.params.id, req.params.version),
  );
  r.get(
    '/api/workforce/plans/:id/versions/:version/export',
    {
      schema: {
        tags,
        description: 'XLSX: forecast, staffing, schedule, roster sheets.',
        params: ZVersionParams,
      },
    },
    async (req, reply) => {
      const file = await s.workforce.exportXlsx(await user(req), req.params.id, req.params.version);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.data);
    },
  );
  r.get(
    '/api/workforce/plans/:id/compare',
    {
      schema: {
        tags,
        params: ZPlanParams,
        querystring: z.object({
          a: z.coerce.number().int().positive(),
          b: z.coerce.number().int().positive(),
        }),
        response: { 200: ZPlanComparison },
      },
    },
    async (req) => s.workforce.compare(await user(req), req.params.id, req.query.a, req.query.b),
  );
  r.get(
    '/api/workforce/plans/:id/intraday',
    {
      schema: {
        tags,
        description:
          'Actual vs forecast for a plan day, reforecast, required vs signed-in agents, reserve alert.',
        params: ZPlanParams,
        querystring: ZIntradayQuery,
        response: { 200: ZIntradayView },
      },
    },
    async (req) => s.workforce.intraday(await user(req), req.params.id, req.query),
  );
  r.get(
    '/api/workforce/my-shifts',
    {
      schema: {
        tags,
        description: "The caller's own shifts in published plan versions.",
        querystring: ZMyShiftsQuery,
        response: { 200: z.array(ZMyShift) },
      },
    },
    async (req) => s.workforce.myShifts(await user(req), req.query),
  );
}
