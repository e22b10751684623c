import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TDrillRun, TStartDrillRunRequest } from '@peakdesk/contracts';
import { type Database, schema } from '@peakdesk/db';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Logger } from 'pino';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { DomainError, notFound } from '../../http/domain-error.ts';
import { scopedWhere, scopeOf } from '../../http/scope.ts';
import type { WatchedDrill } from '../routing/wall.service.ts';
import type { DrillsService } from './drills.service.ts';

const cliBin = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'cli',
  'bin',
  'peakdesk.mjs',
);
const PROGRESS = /(\d{2}):(\d{2}) arrived (\d+)\/(\d+) active (\d+) waiting (\d+) (\d+) msg\/s SL (\d+)%/;

/** How often the instance running a drill writes its progress (and so proves it is alive). */
const HEARTBEAT_MS = 2_000;
/** A running drill whose instance has not written for this long has lost its simulator. */
const STALE_MS = 20_000;
const INTERRUPTED = 'interrupted: the server instance running this drill stopped';
/**
 * A drill's service-level target in simulated seconds: the simulator's figure, the wall watching
 * the drill organisation and the report all judge first replies against it (the drill group's
 * `service_level_seconds` default).
 */
export const DRILL_TARGET_SECONDS = 30;

type Row = typeof schema.drillRuns.$inferSelect;
type Local = { id: string; proc: ChildProcess; dir: string; progress: TDrillRun['progress']; dirty: boolean };

function toDto(r: Row, password: string | null = null): TDrillRun {
  return {
    id: r.id,
    status: r.status,
    drillOrgId: r.drillOrgId,
    supervisor: { email: r.supervisorEmail, password },
    settings: r.settings as TDrillRun['settings'],
    progress: (r.progress ?? null) as TDrillRun['progress'],
    summary: (r.summary ?? null) as TDrillRun['summary'],
    error: r.error,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

const isUniqueViolation = (e: unknown): boolean => {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause)
    if ((c as { code?: unknown }).code === '23505') return true;
  return false;
};

/**
 * Drills started from the web app: a drill organisation plus the simulator (`peakdesk simulate`)
 * in a child process against this server's public API. The run (settings, live progress, summary
 * and the HTML report) is kept in `drill_runs`, so every instance lists it and it outlives a
 * restart; the simulator process itself lives with the instance that started it, which refreshes
 * the row every 2 s. A running row nobody refreshed for 20 s is reported as interrupted.
 */
export function createDrillRunner(deps: {
  db: Database;
  drills: DrillsService;
  selfUrl: () => string;
  instanceId: string;
  logger?: Logger;
}) {
  const { db } = deps;
  const local = new Map<string, Local>();
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  async function write(id: string, values: Partial<typeof schema.drillRuns.$inferInsert>) {
    await db.update(schema.drillRuns).set(values).where(eq(schema.drillRuns.id, id));
  }

  function ensureHeartbeat() {
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      for (const run of local.values()) {
        const values: Partial<typeof schema.drillRuns.$inferInsert> = { heartbeatAt: new Date() };
        if (run.dirty) values.progress = run.progress;
        run.dirty = false;
        write(run.id, values).catch((e: unknown) => deps.logger?.warn({ err: e }, 'drill heartbeat failed'));
      }
    }, HEARTBEAT_MS);
    heartbeat.unref();
  }

  /** Running rows whose instance went quiet become failed, so the organisation may start again. */
  async function expireStale(orgId: string) {
    await db
      .update(schema.drillRuns)
      .set({ status: 'failed', error: INTERRUPTED, finishedAt: new Date() })
      .where(
        and(
          eq(schema.drillRuns.orgId, orgId),
          eq(schema.drillRuns.status, 'running'),
          lt(schema.drillRuns.heartbeatAt, new Date(Date.now() - STALE_MS)),
        ),
      );
  }

  async function finish(id: string, code: number | null, out: string, err: string) {
    const run = local.get(id);
    local.delete(id);
    if (local.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
    const last = out.trim().split('\n').at(-1);
    let summary: TDrillRun['summary'] = null;
    try {
      summary = last ? (JSON.parse(last) as TDrillRun['summary']) : null;
    } catch {
      summary = null;
    }
    let reportHtml: string | null = null;
    if (run) {
      try {
        reportHtml = readFileSync(join(run.dir, 'report.html'), 'utf8');
      } catch {
        reportHtml = null;
      }
      rmSync(run.dir, { recursive: true, force: true });
    }
    await write(id, {
      status: summary ? 'finished' : 'failed',
      summary,
      progress: run?.progress ?? null,
      reportHtml,
      error: summary ? null : err.trim().split('\n').slice(-3).join(' ') || `simulator exited with ${code}`,
      finishedAt: new Date(),
      heartbeatAt: new Date(),
    });
  }

  async function load(caller: UserCaller, id: string): Promise<Row> {
    const [row] = await db
      .select()
      .from(schema.drillRuns)
      .where(and(eq(schema.drillRuns.id, id), scopedWhere(schema.drillRuns, scopeOf(caller))));
    if (!row) throw notFound('drill_run');
    return row;
  }

  return {
    /** The drill supervisor's password is in this answer only; it is never stored. */
    async start(caller: UserCaller, req: TStartDrillRunRequest): Promise<TDrillRun> {
      requireRole(caller, 'admin', 'supervisor');
      await expireStale(caller.orgId);
      const running = await db
        .select({ id: schema.drillRuns.id })
        .from(schema.drillRuns)
        .where(and(eq(schema.drillRuns.orgId, caller.orgId), eq(schema.drillRuns.status, 'running')));
      const conflict = () =>
        new DomainError('conflict', 'drill_running', 'a drill is already running for this organisation');
      if (running.length > 0) throw conflict();
      const drill = await deps.drills.createDrillOrganization(caller, {
        name: req.name,
        agents: req.agents,
        stores: 1,
        concurrency: req.concurrency,
      });
      let row: Row;
      try {
        [row] = (await db
          .insert(schema.drillRuns)
          .values({
            orgId: caller.orgId,
            drillOrgId: drill.orgId,
            status: 'running',
            instanceId: deps.instanceId,
            supervisorEmail: drill.supervisor.email,
            settings: req,
            startedBy: caller.userId,
          })
          .returning()) as [Row];
      } catch (e) {
        // Another instance started one between the check and the insert.
        if (isUniqueViolation(e)) throw conflict();
        throw e;
      }
      const dir = mkdtempSync(join(tmpdir(), 'peakdesk-drill-'));
      writeFileSync(
        join(dir, 'target.json'),
        JSON.stringify({ storeIds: drill.storeIds, agents: drill.agents }),
      );
      const args = [
        cliBin,
        'simulate',
        '--url',
        deps.selfUrl(),
        '--target',
        join(dir, 'target.json'),
        '--profile',
        req.profile,
        '--speed',
        String(req.speed),
        '--from',
        req.from,
        '--to',
        req.to,
        '--daily-volume',
        String(req.dailyVolume),
        '--concurrency',
        String(req.concurrency),
        '--target-seconds',
        String(DRILL_TARGET_SECONDS),
        '--json',
        '--report',
        join(dir, 'report.html'),
      ];
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const run: Local = { id: row.id, proc, dir, progress: null, dirty: false };
      local.set(row.id, run);
      ensureHeartbeat();
      let out = '';
      let err = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      proc.stderr?.on('data', (d: Buffer) => {
        err = (err + d.toString()).slice(-8000);
        for (const line of d.toString().split('\n')) {
          const m = PROGRESS.exec(line);
          if (!m) continue;
          run.progress = {
            simTime: `${m[1]}:${m[2]}`,
            arrived: Number(m[3]),
            planned: Number(m[4]),
            active: Number(m[5]),
            waitingForAgent: Number(m[6]),
            messagesPerSecond: Number(m[7]),
            serviceLevel: Number(m[8]) / 100,
          };
          run.dirty = true;
        }
      });
      proc.once('exit', (code) => {
        finish(row.id, code, out, err).catch((e: unknown) =>
          deps.logger?.error({ err: e, drillRun: row.id }, 'could not record the end of a drill'),
        );
      });
      return toDto(row, drill.supervisor.password);
    },

    async list(caller: UserCaller): Promise<TDrillRun[]> {
      requireRole(caller, 'admin', 'supervisor');
      await expireStale(caller.orgId);
      const rows = await db
        .select()
        .from(schema.drillRuns)
        .where(scopedWhere(schema.drillRuns, scopeOf(caller)))
        .orderBy(desc(schema.drillRuns.startedAt))
        .limit(50);
      return rows.reverse().map((r) => toDto(r));
    },

    async get(caller: UserCaller, id: string): Promise<TDrillRun> {
      requireRole(caller, 'admin', 'supervisor');
      await expireStale(caller.orgId);
      return toDto(await load(caller, id));
    },

    /** The latest run of a drill organisation (the wall watching it shows the drill's figures). */
    async watched(drillOrgId: string): Promise<WatchedDrill | null> {
      const [r] = await db
        .select()
        .from(schema.drillRuns)
        .where(eq(schema.drillRuns.drillOrgId, drillOrgId))
        .orderBy(desc(schema.drillRuns.startedAt))
        .limit(1);
      if (!r) return null;
      const settings = r.settings as TDrillRun['settings'];
      return {
        runId: r.id,
        name: settings.name,
        status: r.status,
        speed: settings.speed,
        targetSeconds: DRILL_TARGET_SECONDS,
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
      };
    },

    async report(caller: UserCaller, id: string): Promise<string> {
      requireRole(caller, 'admin', 'supervisor');
      const row = await load(caller, id);
      if (row.status !== 'finished' || !row.reportHtml) throw notFound('drill_report');
      return row.reportHtml;
    },

    /** Shutdown: stop this instance's simulators and record their runs as stopped. */
    async stopAll(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      const ids = [...local.keys()];
      for (const run of local.values()) {
        run.proc.removeAllListeners('exit');
        run.proc.kill('SIGTERM');
        rmSync(run.dir, { recursive: true, force: true });
      }
      local.clear();
      for (const id of ids)
        await write(id, {
          status: 'failed',
          error: 'stopped: the server shut down during the drill',
          finishedAt: new Date(),
        }).catch(() => {});
    },
  };
}
