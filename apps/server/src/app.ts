import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { registerDemoRoutes } from './demo/demo-page.routes.ts';
import { resolveCaller, SESSION_COOKIE } from './http/auth.ts';
import { registerDeadLettersRoutes } from './http/dead-letters.routes.ts';
import { handleError } from './http/error-mapper.ts';
import { acceptEmptyJsonBodies } from './http/json-body.ts';
import { type ReadinessProbe, registerOpsRoutes } from './http/ops.routes.ts';
import { createOriginGuard } from './http/origin-guard.ts';
import { registerStaticRoutes } from './http/static.routes.ts';
import { guardRequestText } from './http/text-guard.ts';
import {
  createLoginThrottle,
  createMemoryCounterStore,
  createRedisCounterStore,
  createWidgetSessionThrottle,
} from './http/throttle.ts';
import { registerAccountsRoutes } from './modules/accounts/accounts.routes.ts';
import { hashToken } from './modules/accounts/secrets.ts';
import { registerBotRoutes } from './modules/bot/bot.routes.ts';
import { registerChatRoutes } from './modules/chat/chat.routes.ts';
import { registerDrillsRoutes } from './modules/drills/drills.routes.ts';
import { registerKnowledgeRoutes } from './modules/knowledge/knowledge.routes.ts';
import { registerQuickRepliesRoutes } from './modules/quick-replies/quick-replies.routes.ts';
import { registerRoutingRoutes } from './modules/routing/routing.routes.ts';
import { registerWorkforceRoutes } from './modules/workforce/workforce.routes.ts';
import type { Services } from './services.ts';

export type AppOptions = {
  config: Config;
  logger: Logger;
  services: Services;
  probe: ReadinessProbe;
  isShuttingDown: () => boolean;
  rateLimitRedis?: Redis | undefined;
};

/**
 * Security headers on every HTTP answer (docs/security.md "Content-Security-Policy"). The web app is
 * built by Vite without inline scripts, so `script-src 'self'`; Ant Design writes its CSS-in-JS into
 * `<style>` elements, hence `'unsafe-inline'` for styles only. Nothing of ours is meant to be framed:
 * the widget is a script in a shadow root on the shop's page, not an iframe.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  // 'self' covers ws:/wss: to this host (CSP 3) for the socket.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};
const securityHeaders = {
  global: true,
  // Defaults off: `upgrade-insecure-requests` would break a plain-HTTP install on a LAN address.
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  frameguard: { action: 'deny' as const },
  // Not `no-referrer` (helmet's default): under it browsers send `Origin: null` on same-origin POSTs,
  // which the cookie origin check refuses.
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
  // TLS ends at the operator's proxy, which knows whether HSTS (and for which subdomains) is right.
  strictTransportSecurity: false,
};

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: o.logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // X-Forwarded-For / -Proto / -Host are believed only from the configured proxies: otherwise any
    // client could pick its own address (and a fresh rate-limit bucket) per request.
    trustProxy: o.config.trustProxy.length > 0 ? o.config.trustProxy : false,
    // Our onResponse hook logs API requests in one line; skip Fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  acceptEmptyJsonBodies(app);
  app.addHook('preValidation', async (req) => {
    // Every place a client puts text: path parameters (a text id like an FAQ's), query and body.
    guardRequestText(req.params, 'params');
    guardRequestText(req.query, 'querystring');
    guardRequestText(req.body, 'body');
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.url.startsWith('/api/'))
      req.log.info(
        {
          method: req.method,
          url: req.url.split('?')[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
  });

  // Instances of one deployment share the database and so its secret; another deployment (or test
  // database) on the same Redis gets keys of its own.
  const redisNamespace = hashToken(o.services.secret).slice(0, 12);
  // First, so every answer carries the headers, refusals of the hooks below included.
  await app.register(fastifyHelmet, securityHeaders);
  await app.register(fastifyCookie);
  app.addHook('onRequest', createOriginGuard(o.config.allowedOrigins));
  await app.register(fastifyRateLimit, {
    max: o.config.rateLimitPerMinute,
    timeWindow: 60_000,
    ...(o.rateLimitRedis ? { redis: o.rateLimitRedis, nameSpace: `pd-rl-${redisNamespace}-` } : {}),
    // Per verified caller (user or visitor), per address otherwise: an unknown or forged token or
    // cookie resolves to no caller and counts against the address, so it cannot mint a fresh bucket.
    keyGenerator: async (req) => {
      if (!req.url.startsWith('/api/')) return `ip:${req.ip}`;
      const caller = await resolveCaller(o.services.resolvers, req).catch(() => null);
      if (caller?.kind === 'user') return `user:${caller.userId}`;
      if (caller?.kind === 'customer') return `customer:${caller.customerId}`;
      return `ip:${req.ip}`;
    },
    allowList: (req) => req.url === '/health' || req.url === '/ready',
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `rate limit of ${ctx.max} requests per minute exceeded; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'PeakDesk API',
        version: '0.1.0',
        description: 'Customer service for e-commerce promotion peaks',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'API token (pdk_…) or visitor token (vt1.…)',
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const counters = o.rateLimitRedis
    ? createRedisCounterStore(o.rateLimitRedis, redisNamespace)
    : createMemoryCounterStore();
  registerOpsRoutes(app, o.probe, o.isShuttingDown);
  registerAccountsRoutes(app, o.services, createLoginThrottle(counters, o.config.loginMaxFailures));
  registerChatRoutes(
    app,
    o.services,
    createWidgetSessionThrottle(counters, {
      perAddress: o.config.widgetSessionsPerMinute,
      perStore: o.config.widgetSessionsPerStorePerMinute,
    }),
  );
  registerQuickRepliesRoutes(app, o.services);
  registerDrillsRoutes(app, o.services);
  registerRoutingRoutes(app, o.services);
  registerKnowledgeRoutes(app, o.services);
  registerBotRoutes(app, o.services);
  registerWorkforceRoutes(app, o.services);
  registerDeadLettersRoutes(app, o.services);
  registerDemoRoutes(app, o.services);
  await registerStaticRoutes(app);
  return app;
}
