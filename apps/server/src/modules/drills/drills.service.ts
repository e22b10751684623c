import { randomBytes } from 'node:crypto';
import type { TCreateDrillRequest, TDrillOrganization } from '@peakdesk/contracts';
import { type Database, queryRows, schema, sql } from '@peakdesk/db';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { DomainError, notFound } from '../../http/domain-error.ts';
import type { AccountsRepository } from '../accounts/accounts.repository.ts';
import { hashPassword } from '../accounts/secrets.ts';
import type { AuditService } from '../audit/audit.service.ts';

/** Hook for modules that prepare a drill store (e.g. load the FAQ bot) without drills knowing them. */
export type DrillStorePreparer = (orgId: string, storeId: string) => Promise<void>;

/** A drill organisation without a run (`POST /api/drills/organizations`) counts as live this long. */
export const DRILL_ORG_LIVE_MS = 24 * 3600_000;

/**
 * Creates a drill organisation for a promotion rehearsal: its own stores, skill groups and agents,
 * so simulated customers never mix with real ones. It belongs to the caller's organisation.
 */
export function createDrillsService(deps: {
  db: Database;
  accounts: AccountsRepository;
  audit: AuditService;
  prepareStore?: DrillStorePreparer[];
  /** Live drill organisations one organisation may have at once (`PEAKDESK_DRILL_ORGS_PER_ORG`). */
  maxLiveDrillOrgs: number;
}) {
  return {
    /** The caller's own organisation, or one of its drill organisations; anything else is not found. */
    async watchableOrgId(caller: UserCaller, orgId?: string): Promise<string> {
      requireRole(caller, 'admin', 'supervisor');
      if (!orgId || orgId === caller.orgId) return caller.orgId;
      const org = await deps.accounts.getOrganization(orgId);
      if (!org?.isDrill || org.parentOrgId !== caller.orgId) throw notFound('organization');
      return org.id;
    },

    async createDrillOrganization(caller: UserCaller, req: TCreateDrillRequest): Promise<TDrillOrganization> {
      requireRole(caller, 'admin', 'supervisor');
      const repo = deps.accounts;
      const max = deps.maxLiveDrillOrgs;
      // Counted and created under a lock on the parent organisation: two requests at once cannot
      // both take the last place.
      const org = await deps.db.transaction(async (tx) => {
        await queryRows(
          tx as unknown as Database,
          sql`SELECT id FROM organizations WHERE id = ${caller.orgId} FOR UPDATE`,
        );
        const [live] = await queryRows<{ n: number }>(
          tx as unknown as Database,
          sql`SELECT count(*)::int AS n FROM organizations o
              WHERE o.parent_org_id = ${caller.orgId} AND o.is_drill
                AND (EXISTS (SELECT 1 FROM drill_runs r WHERE r.drill_org_id = o.id AND r.status = 'running')
                  OR (NOT EXISTS (SELECT 1 FROM drill_runs r WHERE r.drill_org_id = o.id)
                      AND o.created_at > ${new Date(Date.now() - DRILL_ORG_LIVE_MS)}))`,
        );
        if ((live?.n ?? 0) >= max)
          throw new DomainError(
            'conflict',
            'drill_limit_reached',
            `this organisation already has ${live?.n} live drill organisations, the limit of PEAKDESK_DRILL_ORGS_PER_ORG=${max}: one counts while its drill runs, or for 24 h after it was created without a run`,
          );
        const [row] = await tx
          .insert(schema.organizations)
          .values({ name: req.name, isDrill: true, parentOrgId: caller.orgId })
          .returning();
        return row;
      });
      const group = await repo.createGroup({
        orgId: org!.id,
        name: '售前',
        defaultMaxConcurrency: req.concurrency,
      });
      const storeIds: string[] = [];
      for (let i = 0; i < req.stores; i++) {
        const store = await repo.createStore({
          orgId: org!.id,
          name: `演练店铺 ${i + 1}`,
          platform: i % 2 === 0 ? 'tmall' : 'jd',
          defaultGroupId: group.id,
          identitySecret: randomBytes(24).toString('hex'),
          greeting: '亲，欢迎光临（演练）～',
        });
        storeIds.push(store.id);
        for (const prepare of deps.prepareStore ?? []) await prepare(org!.id, store.id);
      }
      const password = randomBytes(12).toString('base64url');
      const passwordHash = await hashPassword(password);
      const tag = org!.id.slice(0, 8);
      const agents: { email: string; password: string }[] = [];
      for (let i = 0; i < req.agents; i++) {
        const email = `drill-${tag}-agent${i + 1}@drill.peakdesk.local`;
        await repo.createUser(
          { orgId: org!.id, email, name: `演练客服${i + 1}`, role: 'agent', passwordHash },
          storeIds,
          [group.id],
        );
        agents.push({ email, password });
      }
      const supervisorEmail = `drill-${tag}-supervisor@drill.peakdesk.local`;
      await repo.createUser(
        { orgId: org!.id, email: supervisorEmail, name: '演练主管', role: 'supervisor', passwordHash },
        storeIds,
        [group.id],
      );
      await deps.audit.record(caller, 'drill.create', 'organization', org!.id, {
        agents: req.agents,
        stores: req.stores,
      });
      return {
        orgId: org!.id,
        name: org!.name,
        storeIds,
        groupId: group.id,
        agents,
        supervisor: { email: supervisorEmail, password },
      };
    },
  };
}
export type DrillsService = ReturnType<typeof createDrillsService>;
