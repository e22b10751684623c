import type { Logger } from 'pino';
import type { RoutingService } from '../modules/routing/routing.service.ts';
import type { RealtimeGateway } from './gateway.ts';

/**
 * Pushes the supervisor wall to supervisors connected to this instance, per organisation, every
 * interval. Each instance serves only its own sockets (`local`), so N instances never duplicate work
 * for one screen and no cross-instance fan-out is needed.
 */
export function startWallFeed(o: {
  io: RealtimeGateway['io'];
  routing: RoutingService;
  intervalMs: number;
  logger: Logger;
}) {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const [room, sockets] of o.io.sockets.adapter.rooms) {
        const m = /^o:(.+):sup$/.exec(room);
        if (!m?.[1] || sockets.size === 0) continue;
        const snapshot = await o.routing.wall(m[1]);
        o.io.local.to(room).emit('routing:wall', snapshot);
      }
    } catch (error) {
      o.logger.warn({ err: error }, 'wall feed failed');
    } finally {
      busy = false;
    }
  }, o.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
