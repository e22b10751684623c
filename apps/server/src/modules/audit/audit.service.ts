import type { TAuditAction, TAuditEntry, TAuditTargetType } from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { createAuditRepository } from './audit.repository.ts';

export function createAuditService(db: Database) {
  const repo = createAuditRepository(db);
  return {
    /** Records an admin action; details must not contain secrets or passwords. */
    async record(
      caller: UserCaller,
      action: TAuditAction,
      targetType: TAuditTargetType,
      targetId: string | null,
      detail: Record<string, unknown> = {},
    ) {
      await repo.insert({
        orgId: caller.orgId,
        actorId: caller.userId,
        action,
        targetType,
        targetId,
        detail,
      });
    },
    async list(caller: UserCaller, limit = 100): Promise<TAuditEntry[]> {
      requireRole(caller, 'admin');
      const rows = await repo.list(caller.orgId, Math.min(Math.max(limit, 1), 500));
      return rows.map((r) => ({
        id: r.id,
        actorId: r.actorId,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        detail: r.detail,
        createdAt: r.createdAt.toISOString(),
      }));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
