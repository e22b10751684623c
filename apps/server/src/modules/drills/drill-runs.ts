import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TDrillRun, TStartDrillRunRequest } from '@peakdesk/contracts';
import { requireRole, type UserCaller } from '../../http/caller.ts';
import { DomainError, notFound } from '../../http/domain-error.ts';
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

type Run = TDrillRun & { orgId: string; dir: string; proc: ChildProcess | null };

/**
 * Drills started from the web app: a drill organisation plus the simulator (`peakdesk simulate`)
 * in a child process against this server's public API. Runs live in this instance's memory: a
 * drill is a rehearsal, and its report file stays on disk with the instance.
 */
export function createDrillRunner(deps: { drills: DrillsService; selfUrl: () => string }) {
  const runs = new Map<string, Run>();
  const toDto = ({ orgId: _o, dir: _d, proc: _p, ...dto }: Run): TDrillRun => dto;

  return {
    async start(caller: UserCaller, req: TStartDrillRunRequest): Promise<TDrillRun> {
      requireRole(caller, 'admin', 'supervisor');
      const active = [...runs.values()].filter((r) => r.orgId === caller.orgId && r.status === 'running');
      if (active.length > 0)
        throw new DomainError(
          'conflict',
          'drill_running',
          'a drill is already running for this organisation',
        );
      const drill = await deps.drills.createDrillOrganization(caller, {
        name: req.name,
        agents: req.agents,
        stores: 1,
        concurrency: req.concurrency,
      });
      const dir = mkdtempSync(join(tmpdir(), 'peakdesk-drill-'));
      writeFileSync(
        join(dir, 'target.json'),
        JSON.stringify({ storeIds: drill.storeIds, agents: drill.agents }),
      );
      const run: Run = {
        id: randomUUID(),
        orgId: caller.orgId,
        dir,
        proc: null,
        status: 'running',
        drillOrgId: drill.orgId,
        supervisor: drill.supervisor,
        settings: req,
        progress: null,
        summary: null,
        error: null,
        startedAt: new Date().toISOString(),
        finishedAt: null,
      };
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
        '--json',
        '--report',
        join(dir, 'report.html'),
      ];
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      run.proc = proc;
      let out = '';
      let err = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      proc.stderr?.on('data', (d: Buffer) => {
        err = (err + d.toString()).slice(-8000);
        const lines = d.toString().split('\n');
        for (const line of lines) {
          const m = PROGRESS.exec(line);
          if (m)
            run.progress = {
              simTime: `${m[1]}:${m[2]}`,
              arrived: Number(m[3]),
              planned: Number(m[4]),
              active: Number(m[5]),
              waitingForAgent: Number(m[6]),
              messagesPerSecond: Number(m[7]),
              serviceLevel: Number(m[8]) / 100,
            };
        }
      });
      proc.once('exit', (code) => {
        run.finishedAt = new Date().toISOString();
        run.proc = null;
        const last = out.trim().split('\n').at(-1);
        try {
          run.summary = last ? (JSON.parse(last) as TDrillRun['summary']) : null;
        } catch {
          run.summary = null;
        }
        run.status = run.summary ? 'finished' : 'failed';
        if (!run.summary)
          run.error = err.trim().split('\n').slice(-3).join(' ') || `simulator exited with ${code}`;
      });
      runs.set(run.id, run);
      return toDto(run);
    },
    list(caller: UserCaller): TDrillRun[] {
      requireRole(caller, 'admin', 'supervisor');
      return [...runs.values()].filter((r) => r.orgId === caller.orgId).map(toDto);
    },
    get(caller: UserCaller, id: string): TDrillRun {
      requireRole(caller, 'admin', 'supervisor');
      const run = runs.get(id);
      if (!run || run.orgId !== caller.orgId) throw notFound('drill_run');
      return toDto(run);
    },
    report(caller: UserCaller, id: string): string {
      const run = runs.get(id);
      requireRole(caller, 'admin', 'supervisor');
      if (!run || run.orgId !== caller.orgId || run.status !== 'finished') throw notFound('drill_report');
      return readFileSync(join(run.dir, 'report.html'), 'utf8');
    },
    stopAll() {
      for (const r of runs.values()) r.proc?.kill('SIGTERM');
    },
  };
}
export type DrillRunner = ReturnType<typeof createDrillRunner>;
