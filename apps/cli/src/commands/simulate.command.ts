import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TDrillOrganization } from '@peakdesk/contracts';
import {
  type ArrivalCurve,
  buildArrivalCurve,
  curveFromIntervals,
  login,
  renderReportHtml,
  requestJson,
  runSimulation,
  type SimulationProgress,
  type SimulationTarget,
} from '@peakdesk/simulator';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';

type Flags = {
  profile: string;
  speed: string;
  url?: string;
  token?: string;
  login?: string;
  target?: string;
  intervals?: string;
  forecast?: string;
  dailyVolume: string;
  from: string;
  to: string;
  agents: string;
  concurrency: string;
  patience: string;
  handle: string;
  response: string;
  targetSeconds: string;
  seed: string;
  report?: string;
  chaos?: boolean;
  instances: string;
  json?: boolean;
  dataDir?: string;
};

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'peakdesk.mjs');
const DEMO_ADMIN = { email: 'admin@demo.peakdesk.local', password: 'peakdesk-demo' };

function num(flag: string, value: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new CliError(`--${flag}: "${value}" must be a number from ${min} to ${max}`);
  return n;
}

function minuteOfDay(flag: string, v: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) throw new CliError(`--${flag}: "${v}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** interval_start,volume CSV (ISO timestamps or HH:MM) → curve. */
function curveFromCsv(file: string): ArrivalCurve {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim()) ?? [];
  const ti = header.indexOf('interval_start');
  const vi = header.indexOf('volume');
  if (ti < 0 || vi < 0) throw new CliError(`${file} line 1: needs columns interval_start,volume`);
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    const t = cells[ti]?.trim() ?? '';
    const v = Number(cells[vi]);
    const hm = /(?:T|^)(\d{2}):(\d{2})/.exec(t);
    if (!hm) throw new CliError(`${file} line ${i + 2}, field "interval_start": "${t}" is not a time`);
    if (!Number.isFinite(v) || v < 0)
      throw new CliError(
        `${file} line ${i + 2}, field "volume": "${cells[vi] ?? ''}" is not a non-negative number`,
      );
    return { minuteOfDay: Number(hm[1]) * 60 + Number(hm[2]), volume: v };
  });
  const step = rows.length > 1 ? rows[1]!.minuteOfDay - rows[0]!.minuteOfDay : 30;
  return curveFromIntervals(rows, step > 0 ? step : 30);
}

/** JSON lines of `peakdesk forecast --json` ({timestamp, forecast}) → curve of its first day. */
function curveFromForecast(file: string): ArrivalCurve {
  const rows = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      let o: { timestamp?: unknown; forecast?: unknown };
      try {
        o = JSON.parse(l) as typeof o;
      } catch {
        throw new CliError(`${file} line ${i + 1}: not JSON`);
      }
      const hm = typeof o.timestamp === 'string' ? /T(\d{2}):(\d{2})/.exec(o.timestamp) : null;
      if (!hm) throw new CliError(`${file} line ${i + 1}, field "timestamp": not an ISO time`);
      if (typeof o.forecast !== 'number' || o.forecast < 0)
        throw new CliError(`${file} line ${i + 1}, field "forecast": not a non-negative number`);
      return { minuteOfDay: Number(hm[1]) * 60 + Number(hm[2]), volume: o.forecast };
    });
  const step = rows.length > 1 ? rows[1]!.minuteOfDay - rows[0]!.minuteOfDay : 30;
  const firstDay = rows.slice(0, Math.max(1, Math.round(1440 / (step > 0 ? step : 30))));
  return curveFromIntervals(firstDay, step > 0 ? step : 30);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new CliError(`instance ${url} did not become ready`);
}

/** SIGTERM (graceful), then SIGKILL if the instance has not exited within 15 s. */
async function stopProcess(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** A local instance and the environment it was started with (a restart must reuse it). */
type Instance = {
  url: string;
  port: number;
  env: NodeJS.ProcessEnv;
  proc: ChildProcess | null;
  stop(): Promise<void>;
};

function spawnInstance(port: number, env: NodeJS.ProcessEnv, id: string, dataDir?: string): ChildProcess {
  const args = [bin, 'start', '--port', String(port), '--host', '127.0.0.1', '--demo'];
  if (dataDir) args.push('--data-dir', dataDir);
  const child = spawn(process.execPath, args, {
    env: { ...env, PEAKDESK_INSTANCE_ID: id, LOG_LEVEL: 'warn', PEAKDESK_SOCKET_MSGS_PER_SECOND: '200' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Keep the instance's last words for when it dies; its start banner is not the simulator's output.
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  });
  child.once('exit', (code, signal) => {
    if (code && code !== 0) process.stderr.write(`instance ${id} exited with ${code ?? signal}:\n${tail}\n`);
  });
  return child;
}

/**
 * Local instances for a self-contained run: in-process on PGlite in --data-dir, or — when
 * DATABASE_URL is set — child processes on a fresh PostgreSQL database created for the run.
 */
async function startLocalInstances(
  count: number,
  f: Flags,
): Promise<{ instances: Instance[]; cleanup(): Promise<void> }> {
  if (!process.env.DATABASE_URL) {
    if (count > 1)
      throw new CliError(
        '--chaos and --instances > 1 need DATABASE_URL and REDIS_URL (instances share PostgreSQL + Redis)',
      );
    // The server runs in its own process, as in production: the simulated clients must not share its event loop.
    const port = await freePort();
    const inst: Instance = {
      url: `http://127.0.0.1:${port}`,
      port,
      env: process.env,
      proc: spawnInstance(port, process.env, 'sim-1', f.dataDir),
      async stop() {
        await stopProcess(this.proc);
      },
    };
    await waitReady(inst.url);
    return { instances: [inst], cleanup: () => inst.stop() };
  }
  const base = process.env.DATABASE_URL;
  if (!base || (count > 1 && !process.env.REDIS_URL))
    throw new CliError(
      '--chaos and --instances > 1 need DATABASE_URL and REDIS_URL (instances share PostgreSQL + Redis)',
    );
  // A fresh database per run keeps drills away from real data and from each other.
  const pg = (await import('pg')).default;
  const dbName = `peakdesk_sim_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const env = {
    ...process.env,
    DATABASE_URL: u.toString(),
    PEAKDESK_RATE_LIMIT_PER_MINUTE: '1000000',
    PEAKDESK_WIDGET_SESSIONS_PER_MINUTE: '1000000',
    PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE: '1000000',
  };
  const instances: Instance[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const inst: Instance = {
      url: `http://127.0.0.1:${port}`,
      port,
      env,
      proc: spawnInstance(port, env, `sim-${i + 1}`),
      async stop() {
        await stopProcess(this.proc);
      },
    };
    instances.push(inst);
    // Start one at a time: the first applies migrations and seeds the demo merchant.
    await waitReady(inst.url);
  }
  return {
    instances,
    async cleanup() {
      for (const i of instances) await i.stop();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** SIGKILL one instance mid-run, cut Redis pub/sub connections, restart it on the same port. */
function chaosController(instances: Instance[], runMs: number, log: (s: string) => void) {
  return async (elapsed: () => number) => {
    const victim = instances[0];
    if (!victim?.proc) return;
    while (elapsed() < runMs * 0.35) await new Promise((r) => setTimeout(r, 100));
    log(`chaos: SIGKILL ${victim.url}`);
    victim.proc.kill('SIGKILL');
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL ?? '', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const killed = await redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      log(`chaos: closed ${String(killed)} Redis pub/sub connection(s)`);
    } catch (e) {
      log(`chaos: could not cut Redis connections: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      redis.disconnect();
    }
    await new Promise((r) => setTimeout(r, 2_000));
    victim.proc = spawnInstance(victim.port, victim.env, 'sim-1-restarted');
    await waitReady(victim.url);
    log(`chaos: ${victim.url} restarted`);
  };
}

function progressLine(p: SimulationProgress): string {
  const hh = String(Math.floor(p.simMinute / 60) % 24).padStart(2, '0');
  const mm = String(Math.floor(p.simMinute % 60)).padStart(2, '0');
  const width = 24;
  const done = p.planned ? Math.round((p.arrived / p.planned) * width) : width;
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${hh}:${mm} arrived ${p.arrived}/${p.planned} active ${p.active} waiting ${p.waitingForAgent} ${p.messagesPerSecond} msg/s SL ${(p.serviceLevel * 100).toFixed(0)}%`;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('replay a stretch of a promotion day against PeakDesk through its public API and sockets')
    .option('--profile <name>', 'arrival curve: double11 | normal', 'double11')
    .option('--speed <x>', 'simulated seconds per real second', '60')
    .option('--url <url>', 'a running PeakDesk (default: start one locally)')
    .option('--token <token>', 'with --url: an admin/supervisor API token to create the drill organisation')
    .option('--login <email:password>', 'with --url: sign in as this admin/supervisor instead of a token')
    .option('--target <file>', 'use an existing organisation: JSON {storeIds, agents:[{email,password}]}')
    .option('--intervals <file>', 'arrival curve from a CSV interval_start,volume')
    .option('--forecast <file>', 'arrival curve from `peakdesk forecast --json` output (a plan forecast)')
    .option('--daily-volume <n>', 'conversations over the whole day (profiles)', '3000')
    .option('--from <HH:MM>', 'simulated window start', '00:00')
    .option('--to <HH:MM>', 'simulated window end', '00:30')
    .option('--agents <n>', 'simulated agents in the drill organisation', '8')
    .option('--concurrency <k>', 'chats per agent (also the staffing of the Erlang C expectation)', '5')
    .option('--patience <min>', 'mean customer patience waiting for a human (simulated minutes)', '3')
    .option('--handle <min>', 'median handle time per conversation (simulated minutes)', '4')
    .option('--response <sec>', 'median agent response time (simulated seconds)', '20')
    .option('--target-seconds <t>', 'service-level target: first agent reply within T seconds', '30')
    .option('--seed <n>', 'random seed (same seed, same day)', '11')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--chaos', 'run two instances, SIGKILL and restart one mid-run, cut Redis connections')
    .option('--instances <n>', 'local instances (more than 1 needs DATABASE_URL + REDIS_URL)', '1')
    .action(async (_o, command: Command) => {
      const f = command.optsWithGlobals<Flags>();
      const speed = num('speed', f.speed, 1, 100_000);
      const from = minuteOfDay('from', f.from);
      const to = minuteOfDay('to', f.to);
      if (to <= from) throw new CliError(`--to: ${f.to} must be after --from ${f.from}`);
      if (f.profile !== 'double11' && f.profile !== 'normal')
        throw new CliError(`--profile: "${f.profile}" is not double11 or normal`);
      const curve = f.intervals
        ? curveFromCsv(f.intervals)
        : f.forecast
          ? curveFromForecast(f.forecast)
          : buildArrivalCurve({ profile: f.profile, dailyVolume: num('daily-volume', f.dailyVolume, 1) });
      const instancesWanted = f.chaos ? 2 : num('instances', f.instances, 1, 4);
      const log = (s: string) => process.stderr.write(`${s}\n`);

      const local = f.url ? null : await startLocalInstances(instancesWanted, f);
      const urls = f.url ? [f.url.replace(/\/$/, '')] : local!.instances.map((i) => i.url);
      try {
        let target: SimulationTarget;
        if (f.target) {
          const t = JSON.parse(readFileSync(f.target, 'utf8')) as {
            storeIds?: string[];
            agents?: { email: string; password: string }[];
          };
          if (!t.storeIds?.length || !t.agents?.length)
            throw new CliError(`${f.target}: needs storeIds and agents`);
          target = { urls, storeIds: t.storeIds, agents: t.agents };
        } else {
          let token = f.token;
          if (!token) {
            const [email, password] = f.login ? f.login.split(':') : [DEMO_ADMIN.email, DEMO_ADMIN.password];
            if (!email || !password) throw new CliError('--login: expected email:password');
            if (f.url && !f.login)
              throw new CliError('--url needs --token or --login (or --target) to set up the drill');
            token = await login(urls[0]!, email, password);
          }
          const drill = await requestJson<TDrillOrganization>(`${urls[0]}/api/drills/organizations`, {
            method: 'POST',
            token,
            body: JSON.stringify({
              name: `大促演练 ${new Date().toISOString().slice(0, 16)}`,
              agents: num('agents', f.agents, 1, 500),
              concurrency: num('concurrency', f.concurrency, 1, 20),
              stores: 2,
            }),
          });
          target = { urls, storeIds: drill.storeIds, agents: drill.agents };
          log(
            `drill organisation ${drill.orgId} (${drill.agents.length} agents); supervisor login ${drill.supervisor.email} / ${drill.supervisor.password}`,
          );
        }
        const runMs = ((to - from) * 60_000) / speed;
        let lastPrint = 0;
        const result = await runSimulation(target, {
          curve,
          fromMinute: from,
          toMinute: to,
          speed,
          seed: num('seed', f.seed, 0),
          patienceMeanMinutes: num('patience', f.patience, 0.1),
          handleMinutes: num('handle', f.handle, 0.1),
          agentResponseSeconds: num('response', f.response, 1),
          customerThinkSeconds: 20,
          targetSeconds: num('target-seconds', f.targetSeconds, 1),
          concurrency: num('concurrency', f.concurrency, 1, 20),
          onProgress: (p) => {
            const every = process.stderr.isTTY ? 1000 : 5000;
            if (Date.now() - lastPrint < every) return;
            lastPrint = Date.now();
            process.stderr.write(process.stderr.isTTY ? `\r${progressLine(p)}` : `${progressLine(p)}\n`);
          },
          ...(f.chaos && local ? { duringRun: chaosController(local.instances, runMs, log) } : {}),
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (f.report) {
          writeFileSync(
            f.report,
            renderReportHtml(result, { title: 'PeakDesk 大促演练报告', profile: f.profile, speed }),
          );
          log(`report written to ${f.report}`);
        }
        const s = result.summary;
        const e = s.expected;
        if (f.json) process.stdout.write(`${JSON.stringify(s)}\n`);
        else {
          process.stdout.write(
            [
              `conversations     ${s.conversations}`,
              `messages          ${s.messages}`,
              `bot resolved      ${(s.botResolvedShare * 100).toFixed(1)}%`,
              `handed off        ${s.handedOff}`,
              `service level     ${(s.serviceLevel * 100).toFixed(1)}% (first reply ≤ ${f.targetSeconds}s)`,
              `avg wait          ${s.avgWaitSeconds}s`,
              `abandoned         ${s.abandoned}`,
              `resolved by agents ${s.resolvedByAgents}`,
              `queued at the end ${s.queuedAtEnd}`,
              ...(e
                ? [
                    `Erlang C expects  ${(e.serviceLevel * 100).toFixed(1)}% for ${e.servers} chat slots, ${e.arrivalsPerHour} hand-offs/h, AHT ${e.ahtSeconds}s, transport ${e.latencySeconds}s`,
                  ]
                : []),
              `lost              ${s.lost}`,
              `duplicated        ${s.duplicated}`,
              '',
            ].join('\n'),
          );
        }
        if (s.lost > 0 || s.duplicated > 0) process.exitCode = 3;
      } finally {
        await local?.cleanup();
      }
    });
}
