import type { FastifyInstance } from 'fastify';

export type ReadinessProbe = () => Promise<{ ok: boolean; checks: Record<string, string> }>;

export function registerOpsRoutes(
  app: FastifyInstance,
  probe: ReadinessProbe,
  isShuttingDown: () => boolean,
) {
  /** Liveness: the process answers. */
  app.get('/health', { schema: { tags: ['ops'] } }, async () => ({ status: 'ok' }));
  /** Readiness: database (and Redis when configured) reachable, not draining for shutdown. */
  app.get('/ready', { schema: { tags: ['ops'] } }, async (_req, reply) => {
    if (isShuttingDown()) return reply.status(503).send({ status: 'shutting_down' });
    const r = await probe();
    return reply.status(r.ok ? 200 : 503).send({ status: r.ok ? 'ready' : 'not_ready', checks: r.checks });
  });
}
