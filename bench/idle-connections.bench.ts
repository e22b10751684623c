// Idle-connections benchmark: resident memory of one server instance holding N idle customer sockets,
// each a real visitor (widget session → visitor token → Socket.IO handshake with auth.visitorToken),
// beside the same N idle sockets on a raw `ws` server measured in the same run.
// Target (PRODUCT.md): 10,000 on one instance, < 1 GiB resident. Method and figures: docs/performance.md.
//
//   npm run bench:idle-connections -- [--connections 10000] [--json] [--db pglite|postgres]
//     [--steps 4] [--hold 25] [--concurrency 200] [--heap-snapshot DIR] [--skip-baseline]
//
// The server and the baseline run as child processes with a memory probe preloaded (full GC, then
// process.memoryUsage(), on SIGUSR2); this process is the load generator. --db postgres uses
// DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and creates a fresh database.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { TClientToServerEvents, TServerToClientEvents } from '@peakdesk/contracts';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { WebSocket } from 'ws';
import {
  ensureFdLimit,
  localPortRange,
  loopbackSources,
  type MemorySample,
  mib,
  probeNodeArgs,
  readMemory,
} from './lib/memory.ts';
import { createStorage, freePort, spawnEcho, spawnServer } from './lib/server-process.ts';
import { parseFlags, round, sleep } from './lib/stats.ts';
import { seedLoadTenant, startVisitor } from './lib/tenant-api.ts';

type PdSocket = Socket<TServerToClientEvents, TClientToServerEvents>;

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, dflt: number) => {
  const v = flags.get(name);
  if (v === undefined || v === true) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: "${v}" is not a non-negative number`);
  return n;
};
const asJson = flags.has('json');
const dbKind = (flags.get('db') ?? 'pglite') as string;
if (dbKind !== 'pglite' && dbKind !== 'postgres')
  throw new Error(`--db: "${dbKind}" is not pglite or postgres`);
const N = Math.round(num('connections', 10_000));
if (N < 1 || N > 60_000) throw new Error(`--connections: ${N} is outside 1..60000`);
const STEPS = Math.max(1, Math.round(num('steps', 4)));
const HOLD_MS = num('hold', 25) * 1000;
const CONCURRENCY = Math.max(1, Math.round(num('concurrency', 200)));
const snapshotDir = flags.get('heap-snapshot');
const skipBaseline = flags.has('skip-baseline');
const log = (s: string) => {
  if (!asJson) process.stderr.write(`${s}\n`);
};
const TARGET_CONNECTIONS = 10_000;
const TARGET_RSS = 2 ** 30;

// ---------------------------------------------------------------- limits

// This process holds N client sockets; the server child (which inherits the limit) holds N more.
const fd = ensureFdLimit(N + 1024);
const sources = loopbackSources(N);
const ports = localPortRange();
if (N / sources.length > ports.count / 2)
  throw new Error(
    `${N} sockets over ${sources.length} source addresses need more than half of the ${ports.count} local ports`,
  );
const checkpoints = Array.from({ length: STEPS + 1 }, (_, i) => Math.round((N * i) / STEPS));

type Point = { connections: number; rssMiB: number; heapUsedMiB: number; externalMiB: number };
const point = (connections: number, m: MemorySample): Point => ({
  connections,
  rssMiB: mib(m.rss),
  heapUsedMiB: mib(m.heapUsed),
  externalMiB: mib(m.external),
});
/** Least-squares slope over all checkpoints (RSS moves by itself by ±30 MiB; one pair of points is noisy). */
const perSocketKiB = (points: Point[], key: 'rssMiB' | 'heapUsedMiB') => {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.connections, 0) / n;
  const my = points.reduce((a, p) => a + p[key], 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.connections - mx) * (p[key] - my);
    sxx += (p.connections - mx) ** 2;
  }
  return sxx ? round((sxy / sxx) * 1024, 2) : Number.NaN;
};

/** Runs `open(i)` for i in [from, to) with at most CONCURRENCY in flight. */
async function pool(from: number, to: number, open: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) await open(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, to - from) }, worker));
}

// ---------------------------------------------------------------- baseline: raw ws

async function measureRawWs(): Promise<Point[]> {
  const port = await freePort();
  const echo = await spawnEcho('ws', port, { nodeArgs: probeNodeArgs() });
  const sockets: WebSocket[] = [];
  try {
    const points: Point[] = [];
    for (const [k, target] of checkpoints.entries()) {
      await pool(checkpoints[k - 1] ?? 0, target, async (i) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`, {
          localAddress: sources[i % sources.length]!,
          perMessageDeflate: false,
        });
        sockets.push(ws);
        await new Promise<void>((ok, fail) => {
          ws.once('open', () => ok());
          ws.once('error', fail);
        });
      });
      await sleep(500);
      points.push(point(target, await readMemory(echo.proc)));
      log(`  raw ws   ${String(target).padStart(6)} sockets: rss ${points.at(-1)!.rssMiB} MiB`);
    }
    return points;
  } finally {
    await echo.stop();
    for (const ws of sockets) ws.terminate();
  }
}

// ---------------------------------------------------------------- the real server

type ServerResult = {
  points: Point[];
  afterHold: Point;
  beforeVisitors: Point;
  visitorsPerSec: number;
  connectsPerSec: number;
  disconnected: number;
  connectErrors: number;
  loadGeneratorRssMiB: number;
  snapshots: string[];
};

async function measureServer(): Promise<ServerResult> {
  const storage = await createStorage(
    dbKind === 'postgres'
      ? (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
      : undefined,
  );
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
  const sockets: PdSocket[] = [];
  try {
    server = await spawnServer({
      port: await freePort(),
      storage,
      demo: true,
      nodeArgs: probeNodeArgs(),
      env: typeof snapshotDir === 'string' ? { BENCH_HEAP_SNAPSHOT_DIR: snapshotDir } : {},
      readyTimeoutMs: 90_000,
    });
    const url = server.url;
    const tenant = await seedLoadTenant(url, { agents: 0, cap: 1 });
    const beforeVisitors = point(0, await readMemory(server.proc));

    // Visitor sessions over REST (rate limit lifted by spawnServer), as many in flight as sockets below.
    const tokens: string[] = new Array<string>(N);
    const tv = performance.now();
    await pool(0, N, async (i) => {
      tokens[i] = (await startVisitor(url, tenant.storeId)).visitorToken;
    });
    const visitorsPerSec = (N * 1000) / (performance.now() - tv);
    log(`  ${N} visitor sessions in ${((N * 1000) / visitorsPerSec / 1000).toFixed(1)} s`);

    const snapshots: string[] = [];
    let disconnected = 0;
    let connectErrors = 0;
    let connectMs = 0;
    const points: Point[] = [];
    for (const [k, target] of checkpoints.entries()) {
      const t0 = performance.now();
      await pool(checkpoints[k - 1] ?? 0, target, async (i) => {
        // localAddress reaches the `ws` transport (engine.io-client picks it from the options).
        const opts: Partial<ManagerOptions & SocketOptions> & { localAddress: string } = {
          path: '/socket.io',
          transports: ['websocket'],
          auth: { visitorToken: tokens[i]! },
          reconnection: false,
          forceNew: true,
          timeout: 60_000,
          localAddress: sources[i % sources.length]!,
        };
        const s: PdSocket = io(url, opts);
        sockets.push(s);
        await new Promise<void>((ok) => {
          s.once('connect', () => {
            s.once('disconnect', () => disconnected++);
            ok();
          });
          s.once('connect_error', (e) => {
            connectErrors++;
            if (connectErrors <= 3) log(`  connect error: ${e.message}`);
            ok();
          });
        });
      });
      connectMs += performance.now() - t0;
      if (connectErrors > 0) throw new Error(`${connectErrors} sockets failed to connect`);
      await sleep(1000);
      points.push(point(target, await readMemory(server.proc)));
      const p = points.at(-1)!;
      log(
        `  peakdesk ${String(target).padStart(6)} sockets: rss ${p.rssMiB} MiB, heap used ${p.heapUsedMiB} MiB`,
      );
      // Profiling: snapshots at 0 and N sockets, for a diff with heap-snapshot-summary.ts. Writing a
      // snapshot inflates the RSS of every later reading, so figures from such a run are not reported.
      if (typeof snapshotDir === 'string' && (k === 0 || k === STEPS)) {
        mkdirSync(snapshotDir, { recursive: true });
        writeFileSync(`${snapshotDir}/snapshot-next`, '');
        const file = (await readMemory(server.proc)).snapshot;
        if (file) snapshots.push(file);
      }
    }
    // Idle past a ping interval (20 s): every socket must still be there, and memory must not creep.
    await sleep(HOLD_MS);
    const held = await readMemory(server.proc);
    const afterHold = point(N, held);
    const live = sockets.filter((s) => s.connected).length;
    log(`  after ${HOLD_MS / 1000} s idle: ${live} connected, rss ${afterHold.rssMiB} MiB`);
    if (live !== N) disconnected = Math.max(disconnected, N - live);
    return {
      points,
      afterHold,
      beforeVisitors,
      visitorsPerSec,
      connectsPerSec: (N * 1000) / connectMs,
      disconnected,
      connectErrors,
      loadGeneratorRssMiB: mib(process.memoryUsage().rss),
      snapshots,
    };
  } finally {
    // Kill first: closing 10k sockets would otherwise make the server schedule 10k abandon timers.
    await server?.stop('SIGKILL');
    for (const s of sockets) s.close();
    await storage.dispose();
  }
}

// ---------------------------------------------------------------- run

const load0 = loadavg()[0]!;
log(
  `idle-connections benchmark: ${N} sockets, db=${dbKind}, steps ${checkpoints.join('/')}, fd limit ${fd.soft}${fd.raised ? ' (raised)' : ''}, sources ${sources[0]}..${sources.at(-1)}, load ${load0.toFixed(1)}`,
);
const baseline = skipBaseline ? [] : await measureRawWs();
const real = await measureServer();
const final = real.points.at(-1)!;
const rssAtN = Math.max(final.rssMiB, real.afterHold.rssMiB);
const pass = N >= TARGET_CONNECTIONS && rssAtN * 2 ** 20 < TARGET_RSS && real.disconnected === 0;
const result = {
  connections: N,
  db: dbKind,
  rssMiB: rssAtN,
  heapUsedMiB: real.afterHold.heapUsedMiB,
  rssPerSocketKiB: perSocketKiB(real.points, 'rssMiB'),
  heapPerSocketKiB: perSocketKiB(real.points, 'heapUsedMiB'),
  rawWsRssMiB: baseline.at(-1)?.rssMiB ?? null,
  rawWsRssPerSocketKiB: baseline.length ? perSocketKiB(baseline, 'rssMiB') : null,
  rawWsHeapPerSocketKiB: baseline.length ? perSocketKiB(baseline, 'heapUsedMiB') : null,
  points: real.points,
  afterHold: real.afterHold,
  rawWsPoints: baseline,
  beforeVisitorsRssMiB: real.beforeVisitors.rssMiB,
  visitorsPerSec: Math.round(real.visitorsPerSec),
  connectsPerSec: Math.round(real.connectsPerSec),
  disconnected: real.disconnected,
  holdSec: HOLD_MS / 1000,
  loadGeneratorRssMiB: real.loadGeneratorRssMiB,
  loadAvg: [round(load0, 2), round(loadavg()[0]!, 2)],
  heapSnapshots: real.snapshots,
  pass,
};
if (asJson) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  log(
    `  peakdesk: ${N} idle customers → rss ${rssAtN} MiB (target < 1024 MiB), heap used ${result.heapUsedMiB} MiB; per socket ${result.rssPerSocketKiB} KiB rss, ${result.heapPerSocketKiB} KiB heap`,
  );
  if (baseline.length)
    log(
      `  raw ws:   ${N} idle sockets → rss ${result.rawWsRssMiB} MiB; per socket ${result.rawWsRssPerSocketKiB} KiB rss, ${result.rawWsHeapPerSocketKiB} KiB heap`,
    );
  log(
    `  visitor sessions ${result.visitorsPerSec}/s, handshakes ${result.connectsPerSec}/s, dropped while idle ${result.disconnected}, load generator rss ${result.loadGeneratorRssMiB} MiB`,
  );
  if (real.snapshots.length)
    log(
      `  heap snapshots (RSS figures above are inflated by them): npx tsx bench/lib/heap-snapshot-summary.ts ${real.snapshots.join(' ')} 40 ${N}`,
    );
  log(`  ${pass ? 'PASS' : 'FAIL'} against the PRODUCT.md target`);
}
process.exit(0);
