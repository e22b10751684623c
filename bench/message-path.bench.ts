// Message-path benchmark: customer socket → stored → routed → agent socket, against a raw `ws`
// echo server (and a Socket.IO echo server) measured in the same run with the same clients.
// Targets (PRODUCT.md): PostgreSQL ≥ 10% of raw ws throughput, p99 < 100 ms; PGlite ≥ 1,000 msg/s,
// p99 < 100 ms. Method and figures: docs/performance.md.
//
//   npm run bench:message-path -- [--json] [--db pglite|postgres] [--duration 10] [--customers 100]
//     [--agents 4] [--server child|inproc] [--cpu-prof DIR] [--path-only] [--rate N]
//
// --rate N: the fixed offered rate of the latency phase (open loop; latency from each message's
// scheduled send time). Default: 10% of the same run's raw ws rate on PostgreSQL (the target's
// definition), 1,000 msg/s on PGlite (its target).
//
// --db postgres uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and creates
// a fresh database for the run. The server runs as a real `peakdesk start` child process by default
// (--server inproc runs it inside this process, sharing the load generator's event loop).
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TAck, TClientToServerEvents, TServerToClientEvents } from '@peakdesk/contracts';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { AgentDeliveries } from './lib/agent-deliveries.ts';
import { openLoop } from './lib/open-loop.ts';
import { createStorage, freePort, type Storage, spawnEcho, spawnServer } from './lib/server-process.ts';
import { parseFlags, percentile, positiveFlag, round, sleep } from './lib/stats.ts';
import { seedLoadTenant, setStatus, startVisitor } from './lib/tenant-api.ts';

type PdSocket = Socket<TServerToClientEvents, TClientToServerEvents>;

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, dflt: number) => positiveFlag(flags, name, dflt);
const asJson = flags.has('json');
const dbKind = (flags.get('db') ?? 'pglite') as string;
if (dbKind !== 'pglite' && dbKind !== 'postgres')
  throw new Error(`--db: "${dbKind}" is not pglite or postgres`);
const serverMode = (flags.get('server') ?? 'child') as string;
if (serverMode !== 'child' && serverMode !== 'inproc')
  throw new Error(`--server: "${serverMode}" is not child or inproc`);
const DURATION_MS = num('duration', 10) * 1000;
const WARMUP_MS = Math.min(2000, DURATION_MS / 4);
const CUSTOMERS = num('customers', 100);
const AGENTS = num('agents', 4);
const cpuProfDir = flags.get('cpu-prof');
const rateFlag = flags.has('rate') ? positiveFlag(flags, 'rate', 1) : undefined;
const LOOP_PROBE = new URL('./lib/loop-probe.mjs', import.meta.url).pathname;
const BODY = '亲，我的双11订单什么时候发货？能不能帮我备注一下送货上门，谢谢！';
const log = (s: string) => {
  if (!asJson) process.stderr.write(`${s}\n`);
};

// ---------------------------------------------------------------- baselines

/** `ws` echo: every client keeps one frame in flight (send, wait for the echo, send the next). */
async function measureRawWs(): Promise<number> {
  const port = await freePort();
  const echo = await spawnEcho('ws', port);
  try {
    const sockets = await Promise.all(
      Array.from(
        { length: CUSTOMERS },
        () =>
          new Promise<WebSocket>((ok, fail) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}`);
            ws.once('open', () => ok(ws));
            ws.once('error', fail);
          }),
      ),
    );
    let count = 0;
    let running = true;
    sockets.forEach((ws, i) => {
      let k = 0;
      const next = () =>
        ws.send(JSON.stringify({ conversationId: `c${i}`, clientId: `m${i}-${k++}`, body: BODY }));
      ws.on('message', () => {
        count++;
        if (running) next();
      });
      next();
    });
    const rate = await window(() => count);
    running = false;
    for (const ws of sockets) ws.terminate();
    return rate;
  } finally {
    await echo.stop();
  }
}

/** Socket.IO echo with an ack per event: the transport PeakDesk uses, without any application work. */
async function measureSocketIoEcho(): Promise<number> {
  const port = await freePort();
  const echo = await spawnEcho('socketio', port);
  try {
    const sockets = await Promise.all(
      Array.from({ length: CUSTOMERS }, async () => {
        const s = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
        await new Promise<void>((ok, fail) => {
          s.once('connect', () => ok());
          s.once('connect_error', fail);
        });
        return s;
      }),
    );
    let count = 0;
    let running = true;
    sockets.forEach((s, i) => {
      let k = 0;
      const next = (): void => {
        s.emit('echo', { conversationId: `c${i}`, clientId: `m${i}-${k++}`, body: BODY }, () => {
          count++;
          if (running) next();
        });
      };
      next();
    });
    const rate = await window(() => count);
    running = false;
    for (const s of sockets) s.close();
    return rate;
  } finally {
    await echo.stop();
  }
}

/** Waits out the warm-up, then returns events per second over DURATION_MS. */
async function window(counter: () => number): Promise<number> {
  await sleep(WARMUP_MS);
  const c0 = counter();
  const t0 = performance.now();
  await sleep(DURATION_MS);
  return ((counter() - c0) * 1000) / (performance.now() - t0);
}

// ---------------------------------------------------------------- the real message path

/** One second of the latency phase, by scheduled send time: bursts show here, not in the p99. */
type Second = {
  s: number;
  n: number;
  p99Ms: number;
  maxMs: number;
  /** The server's event-loop delay (max) and GC time in that second (loop-probe.mjs; child only). */
  serverLoopMaxMs?: number;
  serverGcMs?: number;
};

type PathResult = {
  perSecond: Second[];
  loadGenLoopP99Ms: number;
  loadGenLoopMaxMs: number;
  msgsPerSec: number;
  serverCpuUsPerMsg: number;
  saturatedP50Ms: number;
  saturatedP99Ms: number;
  p50Ms: number;
  p99Ms: number;
  offeredMsgsPerSec: number;
  deliveredAtOffered: number;
  lost: number;
  duplicated: number;
  errors: number;
};

async function connectSocket(
  url: string,
  auth: { visitorToken?: string; token?: string },
): Promise<PdSocket> {
  const s: PdSocket = io(url, { path: '/socket.io', transports: ['websocket'], auth, reconnection: false });
  await new Promise<void>((ok, fail) => {
    s.once('connect', () => ok());
    s.once('connect_error', fail);
  });
  return s;
}

/**
 * CPU time (ms) the server has used so far: robust to other load on a shared machine, unlike msg/s.
 * Child: utime + stime from /proc (Linux); in-process: this process (load generator included).
 */
type CpuClock = () => number;
function procCpuMs(pid: number): CpuClock {
  return () => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return Number.NaN;
    }
  };
}
const selfCpuMs: CpuClock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

type LoopSample = { t: number; p99: number; max: number; gcMs: number; gcMaxMs: number };

async function startPathServer(
  storage: Storage,
): Promise<{ url: string; cpuMs: CpuClock; loopSamples(): LoopSample[]; stop(): Promise<void> }> {
  const port = await freePort();
  if (serverMode === 'child') {
    if (typeof cpuProfDir === 'string') mkdirSync(cpuProfDir, { recursive: true });
    const srv = await spawnServer({
      port,
      storage,
      demo: true,
      nodeArgs: [
        '--import',
        LOOP_PROBE,
        ...(typeof cpuProfDir === 'string' ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
      ],
    });
    const loopSamples = () =>
      [...srv.output().matchAll(/^@@loop (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as LoopSample);
    return {
      url: srv.url,
      cpuMs: procCpuMs(srv.proc.pid ?? 0),
      loopSamples,
      stop: () => srv.stop('SIGTERM'),
    };
  }
  const { parseConfig, startServer } = await import('@peakdesk/server');
  const config = parseConfig(
    {
      PEAKDESK_SOCKET_MSGS_PER_SECOND: '100000',
      PEAKDESK_RATE_LIMIT_PER_MINUTE: '1000000',
      PEAKDESK_WIDGET_SESSIONS_PER_MINUTE: '1000000',
      PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    },
    { port, host: '127.0.0.1', databaseUrl: storage.databaseUrl, dataDir: storage.dataDir },
  );
  const srv = await startServer(config, { demo: true });
  return { url: srv.url, cpuMs: selfCpuMs, loopSamples: () => [], stop: () => srv.close() };
}

/** Per scheduled second of the latency phase, with the server's loop delay of the same second. */
function perSecond(inbox: AgentDeliveries, t1: number, loop: LoopSample[]): Second[] {
  const buckets: number[][] = [];
  for (const [k, at] of inbox.sentTimes.entries()) {
    const s = Math.floor((at - t1) / 1000);
    if (s < 0) continue;
    const b = buckets[s] ?? [];
    b.push(inbox.latencies[k]!);
    buckets[s] = b;
  }
  const epoch1 = performance.timeOrigin + t1;
  return Array.from(buckets, (b, s) => {
    // A probe line stamped t covers the second before t.
    const l = loop.find((x) => x.t - 1000 >= epoch1 + s * 1000 - 500 && x.t - 1000 < epoch1 + s * 1000 + 500);
    return {
      s,
      n: b?.length ?? 0,
      p99Ms: round(percentile(b ?? [], 99)),
      maxMs: round(Math.max(0, ...(b ?? []))),
      ...(l ? { serverLoopMaxMs: l.max, serverGcMs: l.gcMs } : {}),
    };
  });
}

async function measurePath(rateOf: (saturatedMsgsPerSec: number) => number): Promise<PathResult> {
  const storage = await createStorage(
    dbKind === 'postgres'
      ? (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
      : undefined,
  );
  let server: Awaited<ReturnType<typeof startPathServer>> | undefined;
  const sockets: PdSocket[] = [];
  try {
    server = await startPathServer(storage);
    const url = server.url;
    const cap = Math.min(50, Math.ceil(CUSTOMERS / AGENTS) + 1);
    const tenant = await seedLoadTenant(url, { agents: AGENTS, cap });
    if (cap * AGENTS < CUSTOMERS)
      throw new Error(`--customers ${CUSTOMERS} exceeds ${AGENTS} agents × cap 50`);
    const inbox = new AgentDeliveries();
    for (const a of tenant.agents) {
      await setStatus(url, a.token, 'online');
      const s = await connectSocket(url, { token: a.token });
      sockets.push(s);
      inbox.listen(s);
    }

    const customers: { socket: PdSocket; conversationId: string }[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const v = await startVisitor(url, tenant.storeId);
      const socket = await connectSocket(url, { visitorToken: v.visitorToken });
      sockets.push(socket);
      const ack = (await socket.timeout(10_000).emitWithAck('conversation:open', {})) as TAck<{
        id: string;
        assigneeId: string | null;
      }>;
      if (!ack.ok) throw new Error(`conversation:open: ${ack.error.message}`);
      if (!ack.data.assigneeId) throw new Error('conversation was not assigned; agents lack seats');
      customers.push({ socket, conversationId: ack.data.id });
    }
    log(`  ${CUSTOMERS} customers assigned to ${AGENTS} agents`);

    let acked = 0;
    let errors = 0;
    let seq = 0;
    const send = (
      c: { socket: PdSocket; conversationId: string },
      then?: () => void,
      scheduledAt = performance.now(),
    ) => {
      const clientId = `b${seq++}`;
      inbox.sentAt.set(clientId, scheduledAt);
      c.socket.emit(
        'message:send',
        { conversationId: c.conversationId, clientId, type: 'text', body: BODY },
        (r) => {
          if (r.ok) acked++;
          else errors++;
          then?.();
        },
      );
    };

    /** Until every acknowledged message reached its agent (or `ms` passed). */
    const drain = async (ms: number) => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline && inbox.delivered < acked) await sleep(50);
    };

    // Phase 1, saturation: every customer keeps one message in flight (as the chat client's outbox does).
    let msgsPerSec = Number.NaN;
    let serverCpuUsPerMsg = Number.NaN;
    let saturated: number[] = [];
    {
      let running = true;
      for (const c of customers) {
        const loop = () => {
          if (running) send(c, loop);
        };
        loop();
      }
      await sleep(WARMUP_MS);
      inbox.resetLatencies();
      const d0 = inbox.delivered;
      const t0 = performance.now();
      const cpu0 = server.cpuMs();
      await sleep(DURATION_MS);
      msgsPerSec = ((inbox.delivered - d0) * 1000) / (performance.now() - t0);
      serverCpuUsPerMsg = ((server.cpuMs() - cpu0) * 1000) / Math.max(1, inbox.delivered - d0);
      saturated = inbox.latencies;
      running = false;
      // The backlog of the saturated phase must not be billed to the latency phase.
      await drain(10_000);
      await sleep(1000);
    }

    // Phase 2, latency at a fixed offered rate: an open loop that does not slow down when the server
    // does; latency runs from each message's scheduled send time (openLoop), so a stalled load
    // generator counts against the result instead of hiding it.
    const targetRate = rateOf(msgsPerSec);
    log(`  latency phase at ${targetRate} msg/s offered`);
    inbox.resetLatencies();
    const loadGenLoop = monitorEventLoopDelay({ resolution: 5 });
    loadGenLoop.enable();
    const d1 = inbox.delivered;
    const t1 = performance.now();
    await openLoop(targetRate, DURATION_MS, (i, at) => send(customers[i % customers.length]!, undefined, at));
    const deliveredAtOffered = ((inbox.delivered - d1) * 1000) / (performance.now() - t1);

    // Drain: every acknowledged message must reach its agent exactly once.
    await drain(10_000);
    loadGenLoop.disable();
    await sleep(1200);
    const duplicated = inbox.duplicated();
    return {
      perSecond: perSecond(inbox, t1, server.loopSamples()),
      loadGenLoopP99Ms: round(loadGenLoop.percentile(99) / 1e6),
      loadGenLoopMaxMs: round(loadGenLoop.max / 1e6),
      msgsPerSec,
      serverCpuUsPerMsg,
      saturatedP50Ms: percentile(saturated, 50),
      saturatedP99Ms: percentile(saturated, 99),
      p50Ms: percentile(inbox.latencies, 50),
      p99Ms: percentile(inbox.latencies, 99),
      offeredMsgsPerSec: targetRate,
      deliveredAtOffered,
      lost: Math.max(0, acked - inbox.delivered),
      duplicated,
      errors,
    };
  } finally {
    for (const s of sockets) s.close();
    await server?.stop();
    await storage.dispose();
  }
}

// ---------------------------------------------------------------- run

log(
  `message-path benchmark: db=${dbKind} server=${serverMode} customers=${CUSTOMERS} agents=${AGENTS} duration=${DURATION_MS / 1000}s`,
);
// --path-only skips both baselines (quick A/B runs of a server change); the ratio is then unknown.
const pathOnly = flags.has('path-only');
const rawWsMsgsPerSec = pathOnly ? Number.NaN : await measureRawWs();
log(`  raw ws echo:        ${Math.round(rawWsMsgsPerSec)} msg/s`);
const socketIoEchoMsgsPerSec = pathOnly ? Number.NaN : await measureSocketIoEcho();
log(`  Socket.IO echo+ack: ${Math.round(socketIoEchoMsgsPerSec)} msg/s`);
const load0 = loadavg()[0]!;
const defaultRate = dbKind === 'postgres' && !pathOnly ? Math.round(rawWsMsgsPerSec * 0.1) : 1000;
const path = await measurePath(() => rateFlag ?? defaultRate);
const targetRate = path.offeredMsgsPerSec;
const ratio = path.msgsPerSec / rawWsMsgsPerSec;
const result = {
  rawWsMsgsPerSec: Math.round(rawWsMsgsPerSec),
  msgsPerSec: Math.round(path.msgsPerSec),
  ratio: round(ratio, 3),
  p50Ms: round(path.p50Ms),
  p99Ms: round(path.p99Ms),
  lost: path.lost,
  duplicated: path.duplicated,
  db: dbKind,
  socketIoEchoMsgsPerSec: Math.round(socketIoEchoMsgsPerSec),
  latencyAtMsgsPerSec: path.offeredMsgsPerSec,
  deliveredAtOffered: Math.round(path.deliveredAtOffered),
  saturatedP50Ms: round(path.saturatedP50Ms),
  saturatedP99Ms: round(path.saturatedP99Ms),
  errors: path.errors,
  serverCpuUsPerMsg: Math.round(path.serverCpuUsPerMsg),
  latencyFrom: 'scheduled send time',
  worstSecondP99Ms: Math.max(0, ...path.perSecond.map((x) => x.p99Ms)),
  worstSecondMaxMs: Math.max(0, ...path.perSecond.map((x) => x.maxMs)),
  loadGenLoopP99Ms: path.loadGenLoopP99Ms,
  loadGenLoopMaxMs: path.loadGenLoopMaxMs,
  perSecond: path.perSecond,
  loadAvg1m: [round(load0, 2), round(loadavg()[0]!, 2)],
  customers: CUSTOMERS,
  agents: AGENTS,
  server: serverMode,
  durationSec: DURATION_MS / 1000,
};
if (asJson) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const target = dbKind === 'postgres' ? `≥ 10% of raw ws (${targetRate} msg/s)` : '≥ 1,000 msg/s';
  const pass = (dbKind === 'postgres' ? ratio >= 0.1 : path.msgsPerSec >= 1000) && path.p99Ms < 100;
  log(
    `  message path:       ${result.msgsPerSec} msg/s (${(ratio * 100).toFixed(1)}% of raw ws; target ${target})`,
  );
  log(
    `    saturated latency p50 ${result.saturatedP50Ms} ms, p99 ${result.saturatedP99Ms} ms (${CUSTOMERS} in flight)`,
  );
  log(
    `    at ${targetRate} msg/s offered: delivered ${result.deliveredAtOffered} msg/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (target < 100 ms)`,
  );
  log(`    server CPU ${result.serverCpuUsPerMsg} µs per message (saturated phase)`);
  log('    per second of the latency phase (by scheduled send): n, p99 / max ms, server loop max, GC ms');
  for (const x of path.perSecond)
    log(
      `      ${String(x.s).padStart(3)}s ${String(x.n).padStart(6)}  ${x.p99Ms} / ${x.maxMs}  loop ${x.serverLoopMaxMs ?? '-'}  gc ${x.serverGcMs ?? '-'}`,
    );
  log(
    `    load generator event-loop delay p99 ${result.loadGenLoopP99Ms} ms, max ${result.loadGenLoopMaxMs} ms; load average ${result.loadAvg1m.join(' → ')}`,
  );
  log(`    lost ${result.lost}, duplicated ${result.duplicated}, errors ${result.errors}`);
  log(
    `  Socket.IO overhead vs raw ws: ${((1 - socketIoEchoMsgsPerSec / rawWsMsgsPerSec) * 100).toFixed(0)}% fewer msg/s`,
  );
  log(`  ${pass ? 'PASS' : 'FAIL'} against the PRODUCT.md target`);
}
process.exit(0);
