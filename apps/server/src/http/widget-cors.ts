import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';

/**
 * The REST calls the embedded widget makes from the merchant's shop page (an origin we do not know):
 * the visitor API, a conversation's messages and attachments. They authenticate with the visitor
 * token as a bearer header, never a cookie.
 */
const WIDGET_API =
  /^\/api\/(?:widget\/|attachments\/|conversations\/[^/?]+\/(?:messages|attachments)(?:[/?]|$))/;

export const isWidgetApi = (url: string): boolean => WIDGET_API.test(url);

/**
 * CORS for the widget's routes only: any origin, no credentials. Without credentials a browser
 * sends no cookie cross-origin, so another site cannot ride a staff session through these headers;
 * what such a page can do is what holding a visitor token allows, and any page can mint one
 * (`POST /api/widget/session`). Every other route answers no CORS headers: the staff app is
 * same-origin (cookie writes are checked by `origin-guard.ts`), integrations call from servers.
 */
export function widgetCors(req: FastifyRequest, cb: (error: Error | null, o?: FastifyCorsOptions) => void) {
  if (!isWidgetApi(req.url)) return cb(null, { origin: false });
  cb(null, {
    origin: '*',
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type'],
    credentials: false,
    maxAge: 600,
  });
}
