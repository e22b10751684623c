import type { Logger } from 'pino';
import { type Scope, scopeOf } from '../http/scope.ts';
import type { RoutingService } from '../modules/routing/routing.service.ts';
import type { RealtimeGateway } from './gateway.ts';

/** Supervisor rooms: `o:<orgId>:sup` (org-wide) and `s:<storeId>:sup` (store-limited). */
const SUPERVISOR_ROOM = /^[os]:.+:sup$/;

/**
 * Pushes the supervisor wall to supervisors connected to this instance every interval, computed
 * once per scope (organisation + stores): a supervisor limited to store X gets X's figures only.
 * Each instance serves only its own sockets (`local`), so N instances never duplicate work for one
 * screen and no cross-instance fan-out is needed.
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
      const audiences = new Map<string, { scope: Scope; socketIds: string[] }>();
      const seen = new Set<string>();
      for (const [room, sockets] of o.io.sockets.adapter.rooms) {
        if (!SUPERVISOR_ROOM.test(room)) continue;
        for (const id of sockets) {
          if (seen.has(id)) continue;
          seen.add(id);
          const caller = o.io.sockets.sockets.get(id)?.data.caller;
          if (caller?.kind !== 'user') continue;
          const scope = scopeOf(caller);
          const key = `${scope.orgId}|${scope.storeIds === 'all' ? '*' : [...scope.storeIds].sort().join(',')}`;
          const audience = audiences.get(key);
          if (audience) audience.socketIds.push(id);
          else audiences.set(key, { scope, socketIds: [id] });
        }
      }
      for (const { scope, socketIds } of audiences.values()) {
        const snapshot = await o.routing.wall(scope);
        o.io.local.to(socketIds).emit('routing:wall', snapshot);
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
