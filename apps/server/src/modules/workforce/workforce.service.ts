import {
  type TCreatePlanRequest,
  type TIntradayView,
  type TMyShift,
  type TPlan,
  type TPlanComparison,
  type TPlanDetail,
  type TPlanSettings,
  type TPlanVersion,
  type TPlanVersionSummary,
  type TVolumeHistory,
  type TVolumeSeries,
  ZCreatePlanRequest,
  ZPlanVersion,
  ZSavePlanVersionRequest,
} from '@peakdesk/contracts';
import type { Database } from '@peakdesk/db';
import {
  aggregateToIntervals,
  computeStaffing,
  formatIsoTimestamp,
  type IntervalSeries,
  parseIsoTimestamp,
  WorkforceInputError,
} from '@peakdesk/workforce';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { invalidInput, notFound } from '../../http/domain-error.ts';
import { assertStoreInScope, canSeeStore, type Scope, scopeOf as tenantScope } from '../../http/scope.ts';
import type { AccountsRepository } from '../accounts/accounts.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { readHistoryFile } from './history-file.ts';
import { computeIntraday } from './intraday.ts';
import {
  type BuiltPlan,
  buildPlan,
  dateOfWall,
  dayStartWall,
  instantToWall,
  invalidSettings,
  type RosterCandidate,
  staffingRequest,
  wallToInstant,
} from './plan-builder.ts';
import { planToXlsx } from './plan-export.ts';
import { nextDouble11, promotionDayTemplate } from './promotion-template.ts';
import {
  createWorkforceRepository,
  type HistoryRow,
  type PlanRow,
  type PlanVersionRow,
  type VolumeScope,
} from './workforce.repository.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

type Deps = { db: Database; audit: AuditService; accounts: AccountsRepository; now?: () => Date };

const planner = (caller: UserCaller) => requireRole(caller, 'admin', 'supervisor');

const historyDto = (r: HistoryRow): TVolumeHistory => {
  const first = r.points[0]?.[0] ?? 0;
  const last = r.points[r.points.length - 1]?.[0] ?? 0;
  return {
    id: r.id,
    name: r.name,
    storeId: r.storeId,
    groupId: r.groupId,
    fileName: r.fileName,
    offsetMinutes: r.offsetMinutes,
    pointCount: r.pointCount,
    totalCount: r.totalCount,
    firstAt: formatIsoTimestamp(first, r.offsetMinutes),
    lastAt: formatIsoTimestamp(last, r.offsetMinutes),
    createdAt: r.createdAt.toISOString(),
  };
};

const planDto = (p: PlanRow): TPlan => ({
  id: p.id,
  name: p.name,
  storeId: p.storeId,
  groupId: p.groupId,
  dates: p.dates,
  latestVersion: p.latestVersion,
  publishedVersion: p.publishedVersion,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

type SummaryRow = Pick<
  PlanVersionRow,
  | 'version'
  | 'note'
  | 'createdAt'
  | 'createdBy'
  | 'forecastTotal'
  | 'peakRequired'
  | 'scheduleStatus'
  | 'cost'
  | 'shiftCount'
>;
const summaryDto = (v: SummaryRow): TPlanVersionSummary => ({
  version: v.version,
  note: v.note,
  createdAt: v.createdAt.toISOString(),
  createdBy: v.createdBy,
  forecastTotal: v.forecastTotal,
  peakRequired: v.peakRequired,
  scheduleStatus: v.scheduleStatus as TPlanVersionSummary['scheduleStatus'],
  cost: v.cost,
  shiftCount: v.shiftCount,
});

/** Stored jsonb is parsed back through the contract: a version leaves the server only in its DTO shape. */
const versionDto = (v: PlanVersionRow): TPlanVersion => {
  const result = v.result as Pick<
    TPlanVersion,
    'forecastMethod' | 'forecastBasis' | 'backtest' | 'intervals'
  >;
  return ZPlanVersion.parse({
    ...summaryDto(v),
    planId: v.planId,
    settings: v.settings,
    forecastMethod: result.forecastMethod,
    forecastBasis: result.forecastBasis ?? null,
    backtest: result.backtest,
    intervals: result.intervals,
    schedule: v.schedule,
    roster: v.roster,
  });
};

export function createWorkforceService({ db, audit, accounts, now = () => new Date() }: Deps) {
  const repo = createWorkforceRepository(db);

  /** Other organisations' plans, and plans of stores the caller does not serve, do not exist for them. */
  async function loadPlan(caller: UserCaller, id: string) {
    const plan = await repo.getPlan(tenantScope(caller), id);
    if (!plan) throw notFound('plan');
    return plan;
  }

  async function loadVersion(plan: PlanRow, version: number) {
    const row = await repo.getVersion(plan.id, version);
    if (!row) throw notFound('plan_version');
    return row;
  }

  async function checkScope(caller: UserCaller, storeId: string | null, groupId: string | null) {
    if (storeId) {
      try {
        assertStoreInScope(tenantScope(caller), storeId);
      } catch {
        throw invalidInput('storeId', 'store not found');
      }
      if (!(await accounts.getStore(caller.orgId, storeId))) throw invalidInput('storeId', 'store not found');
    }
    if (groupId && !(await accounts.getGroup(caller.orgId, groupId)))
      throw invalidInput('groupId', 'skill group not found');
  }

  const scopeOf = (p: { storeId: string | null; groupId: string | null }): VolumeScope => ({
    storeId: p.storeId,
    groupId: p.groupId,
  });

  /** `conversation.created` facts on a regular grid of the merchant's clock, whole intervals only. */
  async function factsSeries(
    tenant: Scope,
    scope: VolumeScope,
    fromWall: number,
    toWall: number,
    intervalMinutes: number,
    offset: number,
  ): Promise<IntervalSeries> {
    const step = intervalMinutes * MINUTE_MS;
    const start = Math.ceil(fromWall / step) * step;
    const end = Math.floor(toWall / step) * step;
    const values = new Array<number>(Math.max(0, (end - start) / step)).fill(0);
    const rows = await repo.countCreated(
      tenant,
      scope,
      wallToInstant(start, offset),
      wallToInstant(end, offset),
      intervalMinutes,
      offset,
    );
    for (const r of rows) {
      const i = (r.wallMs - start) / step;
      if (i >= 0 && i < values.length) values[i] = r.count;
    }
    return { start, intervalMinutes, values };
  }

  async function historyFor(
    caller: UserCaller,
    scope: VolumeScope,
    settings: TPlanSettings,
  ): Promise<IntervalSeries | null> {
    const offset = settings.utcOffsetMinutes;
    if (settings.history.source === 'seed') return null;
    if (settings.history.source === 'facts') {
      const nowWall = instantToWall(now(), offset);
      // Volume is counted inside the caller's stores only, also for a plan without a store.
      const series = await factsSeries(
        tenantScope(caller),
        scope,
        nowWall - settings.history.weeks * 7 * DAY_MS,
        nowWall,
        settings.intervalMinutes,
        offset,
      );
      if (!series.values.some((v) => v > 0))
        throw invalidSettings(
          'settings.history',
          'no conversations recorded in this scope yet; import a history file, or start from the seed formula (history.source "seed")',
        );
      return series;
    }
    const row = await repo.getHistory(tenantScope(caller), settings.history.historyId);
    if (!row) throw invalidSettings('settings.history.historyId', 'volume history not found');
    // Timestamps with an offset are moved onto the plan's clock; bare ones already are local time.
    const shift = row.offsetMinutes === null ? 0 : (offset - row.offsetMinutes) * MINUTE_MS;
    try {
      return aggregateToIntervals(
        row.points.map(([start, count]) => ({ start: start + shift, count })),
        settings.intervalMinutes,
      );
    } catch (error) {
      if (error instanceof WorkforceInputError)
        throw invalidSettings('settings.intervalMinutes', error.message);
      throw error;
    }
  }

  /**
   * Agents a roster may use: active agents of the plan's group (and store), and of the caller's
   * stores — a store-limited planner's org-wide plan never rosters (or counts) another store's people.
   */
  async function rosterAgents(
    caller: UserCaller,
    scope: { storeId: string | null; groupId: string | null },
  ): Promise<(RosterCandidate & { status: string; role: string })[]> {
    const tenant = tenantScope(caller);
    return (await accounts.listUsers(caller.orgId))
      .filter((u) => !u.disabled)
      .filter((u) => u.role === 'admin' || u.storeIds.some((id) => canSeeStore(tenant, id)))
      .filter((u) => !scope.groupId || u.groupIds.includes(scope.groupId))
      .filter((u) => !scope.storeId || u.storeIds.includes(scope.storeId))
      .map((u) => ({ userId: u.id, name: u.name, status: u.status, role: u.role }));
  }

  /** forecast → staffing → schedule → roster for a scope; throws before anything is stored. */
  async function compute(
    caller: UserCaller,
    scope: { storeId: string | null; groupId: string | null },
    settings: TPlanSettings,
  ) {
    const history = await historyFor(caller, scopeOf(scope), settings);
    const agents = (await rosterAgents(caller, scope)).filter((a) => a.role === 'agent');
    return buildPlan(settings, history, agents);
  }

  async function appendVersion(
    caller: UserCaller,
    plan: PlanRow,
    settings: TPlanSettings,
    note: string,
    built: BuiltPlan,
  ) {
    const row = await repo.appendVersion(
      plan,
      {
        note,
        settings,
        result: {
          forecastMethod: built.forecastMethod,
          forecastBasis: built.forecastBasis,
          backtest: built.backtest,
          intervals: built.intervals,
        },
        schedule: built.schedule,
        roster: built.roster,
        forecastTotal: Math.round(built.intervals.reduce((s, i) => s + i.forecast, 0) * 100) / 100,
        peakRequired: Math.max(0, ...built.intervals.map((i) => i.required)),
        scheduleStatus: built.schedule.status,
        cost: built.schedule.cost,
        shiftCount: built.schedule.shifts.reduce((s, x) => s + x.count, 0),
      },
      built.assignmentRows,
      { dates: settings.dates, createdBy: caller.userId },
    );
    await audit.record(caller, 'workforce_plan.version', 'workforce_plan', plan.id, {
      version: row.version,
      status: row.scheduleStatus,
    });
    return versionDto(row);
  }

  async function detail(plan: PlanRow): Promise<TPlanDetail> {
    return { ...planDto(plan), versions: (await repo.listVersions(plan.id)).map(summaryDto) };
  }

  return {
    repo,

    async importHistory(
      caller: UserCaller,
      data: Buffer,
      opts: {
        format: 'csv' | 'xlsx';
        fileName: string;
        name?: string | undefined;
        storeId?: string | undefined;
        groupId?: string | undefined;
      },
    ): Promise<TVolumeHistory> {
      planner(caller);
      await checkScope(caller, opts.storeId ?? null, opts.groupId ?? null);
      const file = await readHistoryFile(data, opts.format, opts.fileName);
      const row = await repo.insertHistory({
        orgId: caller.orgId,
        storeId: opts.storeId ?? null,
        groupId: opts.groupId ?? null,
        name: opts.name ?? opts.fileName,
        fileName: opts.fileName,
        offsetMinutes: file.offsetMinutes,
        points: file.points,
        pointCount: file.points.length,
        totalCount: file.points.reduce((s, [, c]) => s + c, 0),
        createdBy: caller.userId,
      });
      await audit.record(caller, 'workforce_history.import', 'workforce_history', row.id, {
        fileName: row.fileName,
        points: row.pointCount,
      });
      return historyDto(row);
    },

    async listHistories(caller: UserCaller): Promise<TVolumeHistory[]> {
      planner(caller);
      return (await repo.listHistories(tenantScope(caller))).map(historyDto);
    },

    async factsVolume(
      caller: UserCaller,
      q: {
        storeId?: string | undefined;
        groupId?: string | undefined;
        intervalMinutes: 15 | 30 | 60;
        days: number;
        utcOffsetMinutes: number;
      },
    ): Promise<TVolumeSeries> {
      planner(caller);
      await checkScope(caller, q.storeId ?? null, q.groupId ?? null);
      const nowWall = instantToWall(now(), q.utcOffsetMinutes);
      const series = await factsSeries(
        tenantScope(caller),
        { storeId: q.storeId ?? null, groupId: q.groupId ?? null },
        nowWall - q.days * DAY_MS,
        nowWall,
        q.intervalMinutes,
        q.utcOffsetMinutes,
      );
      const step = q.intervalMinutes * MINUTE_MS;
      return {
        intervalMinutes: q.intervalMinutes,
        points: series.values.map((count, i) => ({
          start: formatIsoTimestamp(series.start + i * step, q.utcOffsetMinutes),
          count,
        })),
      };
    },

    promotionTemplate(caller: UserCaller, date?: string) {
      planner(caller);
      return promotionDayTemplate(date ?? nextDouble11(now().toISOString().slice(0, 10)));
    },

    async listPlans(caller: UserCaller): Promise<TPlan[]> {
      planner(caller);
      return (await repo.listPlans(tenantScope(caller))).map(planDto);
    },

    /** Creates the plan and computes its first version; nothing is stored when the computation fails. */
    async createPlan(
      caller: UserCaller,
      input: TCreatePlanRequest,
    ): Promise<TPlanDetail & { version: TPlanVersion }> {
      planner(caller);
      const req = ZCreatePlanRequest.parse(input);
      await checkScope(caller, req.storeId, req.groupId);
      // Computed before the plan row exists, so a bad setting leaves no empty plan behind.
      const built = await compute(caller, req, req.settings);
      const plan = await repo.insertPlan({
        orgId: caller.orgId,
        storeId: req.storeId,
        groupId: req.groupId,
        name: req.name,
        dates: req.settings.dates,
        createdBy: caller.userId,
      });
      await audit.record(caller, 'workforce_plan.create', 'workforce_plan', plan.id, { name: plan.name });
      const version = await appendVersion(caller, plan, req.settings, '', built);
      return { ...(await detail((await repo.getPlan(tenantScope(caller), plan.id)) ?? plan)), version };
    },

    async getPlan(caller: UserCaller, id: string): Promise<TPlanDetail> {
      planner(caller);
      return detail(await loadPlan(caller, id));
    },

    async saveVersion(caller: UserCaller, id: string, input: unknown): Promise<TPlanVersion> {
      planner(caller);
      const plan = await loadPlan(caller, id);
      const req = ZSavePlanVersionRequest.parse(input);
      return appendVersion(caller, plan, req.settings, req.note, await compute(caller, plan, req.settings));
    },

    async getVersion(caller: UserCaller, id: string, version: number): Promise<TPlanVersion> {
      planner(caller);
      return versionDto(await loadVersion(await loadPlan(caller, id), version));
    },

    async compare(caller: UserCaller, id: string, a: number, b: number): Promise<TPlanComparison> {
      planner(caller);
      const plan = await loadPlan(caller, id);
      const [va, vb] = [versionDto(await loadVersion(plan, a)), versionDto(await loadVersion(plan, b))];
      const byStart = new Map<string, TPlanComparison['intervals'][number]>();
      const row = (start: string) => {
        let r = byStart.get(start);
        if (!r) {
          r = {
            start,
            forecastA: null,
            forecastB: null,
            requiredA: null,
            requiredB: null,
            scheduledA: null,
            scheduledB: null,
          };
          byStart.set(start, r);
        }
        return r;
      };
      for (const i of va.intervals)
        Object.assign(row(i.start), {
          forecastA: i.forecast,
          requiredA: i.required,
          scheduledA: i.scheduled,
        });
      for (const i of vb.intervals)
        Object.assign(row(i.start), {
          forecastB: i.forecast,
          requiredB: i.required,
          scheduledB: i.scheduled,
        });
      const intervals = [...byStart.values()].sort(
        (x, y) => (parseIsoTimestamp(x.start)?.wallMs ?? 0) - (parseIsoTimestamp(y.start)?.wallMs ?? 0),
      );
      return { a: summaryOf(va), b: summaryOf(vb), intervals };
    },

    async publish(caller: UserCaller, id: string, version: number): Promise<TPlanDetail> {
      planner(caller);
      const plan = await loadPlan(caller, id);
      await loadVersion(plan, version);
      await repo.setPublished(caller.orgId, plan.id, version);
      await audit.record(caller, 'workforce_plan.publish', 'workforce_plan', plan.id, { version });
      return detail(await loadPlan(caller, id));
    },

    async exportXlsx(caller: UserCaller, id: string, version: number) {
      planner(caller);
      const plan = await loadPlan(caller, id);
      return {
        fileName: `plan-v${version}.xlsx`,
        data: await planToXlsx(plan.name, versionDto(await loadVersion(plan, version))),
      };
    },

    /** The caller's own shifts from published plan versions (every role; only their own). */
    async myShifts(
      caller: UserCaller,
      q: { from?: string | undefined; to?: string | undefined },
    ): Promise<TMyShift[]> {
      const from = q.from ? new Date(q.from) : new Date(now().getTime() - DAY_MS);
      const to = q.to ? new Date(q.to) : new Date(from.getTime() + 31 * DAY_MS);
      if (to <= from) throw invalidInput('to', 'must be after from');
      const rows = await repo.listPublishedShifts(caller.orgId, caller.userId, from, to);
      const offsets = new Map<string, number>();
      const offsetOf = async (planId: string, version: number) => {
        const key = `${planId}:${version}`;
        if (!offsets.has(key)) {
          const v = await repo.getVersion(planId, version);
          offsets.set(key, (v?.settings as TPlanSettings | undefined)?.utcOffsetMinutes ?? 480);
        }
        return offsets.get(key) ?? 480;
      };
      const out: TMyShift[] = [];
      for (const r of rows) {
        const offset = await offsetOf(r.planId, r.version);
        out.push({
          planId: r.planId,
          planName: r.planName,
          version: r.version,
          type: r.type,
          start: formatIsoTimestamp(instantToWall(r.startAt, offset), offset),
          end: formatIsoTimestamp(instantToWall(r.endAt, offset), offset),
        });
      }
      return out;
    },

    async intraday(
      caller: UserCaller,
      id: string,
      q: { date?: string | undefined; version?: number | undefined; at?: string | undefined },
    ): Promise<TIntradayView> {
      planner(caller);
      const plan = await loadPlan(caller, id);
      const versionNo = q.version ?? plan.publishedVersion ?? plan.latestVersion;
      const v = versionDto(await loadVersion(plan, versionNo));
      const s = v.settings;
      const offset = s.utcOffsetMinutes;
      const asOf = q.at ? new Date(q.at) : now();
      const asOfWall = instantToWall(asOf, offset);
      const today = dateOfWall(asOfWall);
      const date = q.date ?? (s.dates.includes(today) ? today : (s.dates[0] ?? today));
      if (!s.dates.includes(date))
        throw invalidInput(
          'date',
          `${date} is not a day of plan version ${v.version} (${s.dates.join(', ')})`,
        );
      const dayStart = dayStartWall(date);
      const intervals = v.intervals
        .map((i) => ({ ...i, wallMs: parseIsoTimestamp(i.start)?.wallMs ?? 0 }))
        .filter((i) => i.wallMs >= dayStart && i.wallMs < dayStart + DAY_MS);
      const actualSeries = await factsSeries(
        tenantScope(caller),
        scopeOf(plan),
        dayStart,
        Math.min(
          dayStart + DAY_MS,
          Math.ceil(asOfWall / (s.intervalMinutes * MINUTE_MS)) * s.intervalMinutes * MINUTE_MS,
        ),
        s.intervalMinutes,
        offset,
      );
      const actuals = new Map(
        actualSeries.values.map((n, i) => [actualSeries.start + i * s.intervalMinutes * MINUTE_MS, n]),
      );
      const present = (await rosterAgents(caller, plan)).filter((a) => a.status === 'online');
      const request = staffingRequest(s);
      const core = computeIntraday({
        intervals,
        intervalMinutes: s.intervalMinutes,
        actuals,
        asOfWall,
        signedInAgents: present.length,
        shrinkage: s.staffing.shrinkage,
        agentsFor: (volume) => computeStaffing({ ...request, volume }).agents,
        lookahead: Math.max(1, Math.ceil(120 / s.intervalMinutes)),
      });
      return {
        planId: plan.id,
        version: v.version,
        date,
        asOf: formatIsoTimestamp(asOfWall - (asOfWall % 1000), offset),
        signedInAgents: present.length,
        ...core,
      };
    },
  };
}

const summaryOf = (v: TPlanVersion): TPlanVersionSummary => ({
  version: v.version,
  note: v.note,
  createdAt: v.createdAt,
  createdBy: v.createdBy,
  forecastTotal: v.forecastTotal,
  peakRequired: v.peakRequired,
  scheduleStatus: v.scheduleStatus,
  cost: v.cost,
  shiftCount: v.shiftCount,
});

export type WorkforceService = ReturnType<typeof createWorkforceService>;
