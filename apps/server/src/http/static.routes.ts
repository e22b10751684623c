import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const webDist = join(root, 'apps', 'web', 'dist');
export const widgetDist = join(root, 'apps', 'widget', 'dist');

/** Serves the built web app (SPA fallback) and the widget script; API and docs routes take precedence. */
export async function registerStaticRoutes(app: FastifyInstance) {
  const widgetFile = join(widgetDist, 'widget.js');
  app.get('/widget.js', async (_req, reply) => {
    // Loaded by <script> on merchants' shops: another origin must be allowed to embed it.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    if (!existsSync(widgetFile))
      return reply
        .status(503)
        .send({ code: 'widget_not_built', message: 'widget not built: run npm run build' });
    return (
      reply
        .header('content-type', 'application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*')
        // Loaded by <script> on merchants' shops: another origin must be allowed to embed it.
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(readFileSync(widgetFile))
    );
  });
  const hasWeb = existsSync(join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const isApi = path.startsWith('/api/') || path.startsWith('/socket.io') || path.startsWith('/docs');
    if (req.method === 'GET' && !isApi && !/\.[a-z0-9]+$/i.test(path)) {
      if (!hasWeb)
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('PeakDesk web app is not built: run `npm run build` (npm start does this).');
      return reply.type('text/html; charset=utf-8').send(readFileSync(join(webDist, 'index.html')));
    }
    return reply
      .status(404)
      .send({ code: 'route_not_found', message: `${req.method} ${path} does not exist` });
  });
}
