import type { TCreateQuickReplyRequest, TQuickReply, TQuickReplyCategory } from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import { isSupervisorOrAdmin, type UserCaller } from '../../http/caller.ts';
import { forbidden, notFound } from '../../http/domain-error.ts';
import { scopeOf } from '../../http/scope.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { createQuickRepliesRepository, type QuickReplyRow } from './quick-replies.repository.ts';

const toDto = (r: QuickReplyRow): TQuickReply => ({
  id: r.id,
  scope: r.ownerId ? 'personal' : 'team',
  category: r.category as TQuickReplyCategory,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  updatedAt: r.updatedAt.toISOString(),
});

export function createQuickRepliesService({ db, audit }: { db: Database; audit: AuditService }) {
  const repo = createQuickRepliesRepository(db);

  async function editable(caller: UserCaller, id: string) {
    const row = await repo.getVisible(scopeOf(caller), caller.userId, id);
    if (!row) throw notFound('quick_reply');
    // Team scripts are the supervisors' to curate; personal ones belong to their owner.
    if (!row.ownerId && !isSupervisorOrAdmin(caller))
      throw forbidden('team quick replies are edited by supervisors');
    return row;
  }

  return {
    repo,
    async list(
      caller: UserCaller,
      q: { q?: string | undefined; category?: TQuickReplyCategory | undefined },
    ) {
      const needle = q.q?.trim().toLowerCase();
      return (await repo.listVisible(scopeOf(caller), caller.userId))
        .filter((r) => !q.category || r.category === q.category)
        .filter(
          (r) =>
            !needle ||
            r.shortcut.toLowerCase().includes(needle) ||
            r.title.toLowerCase().includes(needle) ||
            r.body.toLowerCase().includes(needle),
        )
        .map(toDto);
    },
    async create(caller: UserCaller, req: TCreateQuickReplyRequest) {
      if (req.scope === 'team' && !isSupervisorOrAdmin(caller))
        throw forbidden('team quick replies are created by supervisors');
      const row = await repo.insert({
        orgId: caller.orgId,
        ownerId: req.scope === 'personal' ? caller.userId : null,
        category: req.category,
        shortcut: req.shortcut,
        title: req.title,
        body: req.body,
      });
      if (req.scope === 'team')
        await audit.record(caller, 'quick_reply.create', 'quick_reply', row.id, { shortcut: row.shortcut });
      return toDto(row);
    },
    async update(caller: UserCaller, id: string, req: Partial<TCreateQuickReplyRequest>) {
      const row = await editable(caller, id);
      const { scope, ...values } = req;
      const ownerId = scope === undefined ? row.ownerId : scope === 'personal' ? caller.userId : null;
      if (scope === 'team' && !isSupervisorOrAdmin(caller))
        throw forbidden('team quick replies are edited by supervisors');
      const updated = await repo.update(scopeOf(caller), id, { ...values, ownerId });
      if (!updated) throw notFound('quick_reply');
      if (!updated.ownerId) await audit.record(caller, 'quick_reply.update', 'quick_reply', id, { ...req });
      return toDto(updated);
    },
    async remove(caller: UserCaller, id: string) {
      const row = await editable(caller, id);
      await repo.remove(scopeOf(caller), id);
      if (!row.ownerId)
        await audit.record(caller, 'quick_reply.delete', 'quick_reply', id, { shortcut: row.shortcut });
    },
  };
}
