import { type DatabaseHandle, openDatabase, queryRows, sql } from '@peakdesk/db';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type DemoLogin, seedDemo } from './demo/seed-demo.ts';
import { createEventBus } from './events/event-bus.ts';
import { activeFailpoints } from './failpoints.ts';
import { createRealtimeGateway } from './realtime/gateway.ts';
import { startWallFeed } from './realtime/wall-feed.ts';
import { createServices, type Services } from './services.ts';

export type RunningServer = {
  port: number;
  url: string;
  services: Services;
  db: DatabaseHandle;
  logger: Logger;
  demoLogins: DemoLogin[];
  /** While no admin exists: the one-time token of the setup page (`/setup?token=…`); null after. */
  setupToken: string | null;
  close(): Promise<void>;
};

/** Wiring only: config → db → services → http + realtime. */
export async function startServer(
  config: Config,
  opts: { demo?: boolean; logger?: Logger; database?: DatabaseHandle } = {},
): Promise<RunningServer> {
  const logger = opts.logger ?? pino({ level: config.logLevel, base: { instance: config.instanceId } });
  const db =
    opts.database ??
    (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  const bus = createEventBus((name, error) =>
    logger.error({ err: error, event: name }, 'event listener failed'),
  );
  const services = await createServices(db.db, bus, config, logger);
  const rateLimitRedis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  rateLimitRedis?.on('error', () => {});

  let shuttingDown = false;
  const app = await buildApp({
    config,
    logger,
    services,
    rateLimitRedis,
    isShuttingDown: () => shuttingDown,
    probe: async () => {
      const checks: Record<string, string> = {};
      try {
        await queryRows(db.db, sql`SELECT 1`);
        checks.database = 'ok';
      } catch (e) {
        checks.database = e instanceof Error ? e.message : 'error';
      }
      if (rateLimitRedis) checks.redis = rateLimitRedis.status === 'ready' ? 'ok' : rateLimitRedis.status;
      return { ok: Object.values(checks).every((v) => v === 'ok'), checks };
    },
  });
  await app.ready();
  const gateway = await createRealtimeGateway({
    httpServer: app.server,
    services,
    bus,
    redisUrl: config.redisUrl,
    logger,
    messagesPerSecond: config.socketMessagesPerSecond,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
  });
  const demoLogins = opts.demo ? await seedDemo(services, db.db) : [];
  const setupToken = await services.organizations.setupToken();
  // An embedded database has one process: a lease found now was held by a process that died (kill -9,
  // power loss) between running a job or delivery and marking it done. Run those now, not after the
  // lease; the handlers are idempotent. PostgreSQL is shared by instances, so there leases run out.
  if (db.kind === 'pglite') {
    const released = {
      jobs: await services.jobs.releaseLeases(),
      deliveries: await services.outbox.releaseLeases(),
    };
    if (released.jobs + released.deliveries > 0)
      logger.warn(released, 'released the claims of a previous process');
  }
  // Jobs and presence run on every instance; SKIP LOCKED lets each job run once.
  services.jobs.start();
  services.outbox.start();
  services.routing.start();
  const wallFeed = startWallFeed({
    io: gateway.io,
    routing: services.routing,
    intervalMs: config.wallIntervalMs,
    logger,
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  services.selfUrl.current = `http://127.0.0.1:${port}`;
  logger.info({ port, db: db.kind, redis: Boolean(config.redisUrl) }, 'peakdesk listening');
  if (activeFailpoints().length)
    logger.warn(
      { failpoints: activeFailpoints() },
      'PEAKDESK_FAILPOINTS is set: this process kills itself on purpose',
    );

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    services,
    db,
    logger,
    demoLogins,
    setupToken,
    /**
     * Graceful stop: refuse new work, disconnect sockets (clients reconnect to another instance and
     * resend anything unacknowledged), let in-flight handlers commit, then close the database.
     */
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        wallFeed.stop();
        services.routing.stop();
        await services.outbox.stop();
        await services.jobs.stop();
        await gateway.close();
        await app.close();
        const deadline = Date.now() + 10_000;
        while (gateway.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        logger.debug({ inFlight: gateway.inFlight(), ms: Date.now() - deadline + 10_000 }, 'drained');
        await services.drillRuns.stopAll();
        rateLimitRedis?.disconnect();
        await db.close();
        logger.info('peakdesk stopped');
      })();
      return closing;
    },
  };
}
