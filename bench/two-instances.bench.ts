// Two-instances benchmark: two `peakdesk start` processes on one fresh PostgreSQL database and one
// Redis (REDIS_URL, Socket.IO Redis adapter). Customers on instance A, agents on instance B: the
// cross-instance path customer send → stored → routed → published through Redis → agent socket on B,
// beside the same path with customers and agents both on A, measured in the same run on the same
// servers, conversations and clients. Method and figures: docs/performance.md.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
//     npm run bench:two-instances -- [--json] [--duration 10] [--customers 100] [--agents 4] [--rate N] [--rounds 2]
//
// Without DATABASE_URL or REDIS_URL it prints why it skipped and exits 0.
// Per placement: saturation (every customer keeps one message in flight, as the chat client's outbox
// does) gives msg/s delivered to the agents and the latency at saturation; then an open loop at --rate
// (default: half the one-instance saturated rate of this run) gives p50/p99 below saturation. Lost
// (acknowledged but never delivered to an agent after a drain) and duplicated (delivered twice) are
// counted per client id, end to end.
import { loadavg } from 'node:os';
import type { TAck, TClientToServerEvents, TServerToClientEvents } from '@peakdesk/contracts';
import { io, type Socket } from 'socket.io-client';
import { AgentDeliveries } from './lib/agent-deliveries.ts';
import { cpuMsOf } from './lib/memory.ts';
import { openLoop } from './lib/open-loop.ts';
import { createStorage, freePort, type ServerProcess, spawnServer } from './lib/server-process.ts';
import { median, parseFlags, percentile, positiveFlag, round, sleep } from './lib/stats.ts';
import { seedLoadTenant, setStatus, startVisitor } from './lib/tenant-api.ts';

type PdSocket = Socket<TServerToClientEvents, TClientToServerEvents>;

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, dflt: number) => positiveFlag(flags, name, dflt);
const asJson = flags.has('json');
const DURATION_MS = num('duration', 10) * 1000;
const WARMUP_MS = Math.min(2000, DURATION_MS / 4);
const CUSTOMERS = Math.round(num('customers', 100));
const AGENTS = Math.round(num('agents', 4));
const ROUNDS = Math.round(num('rounds', 2));
const rateFlag = flags.has('rate') ? num('rate', 500) : undefined;
const BODY = '亲，我的双11订单什么时候发货？能不能帮我备注一下送货上门，谢谢！';
const log = (s: string) => {
  if (!asJson) process.stderr.write(`${s}\n`);
};

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_BASE = process.env.REDIS_URL;
if (!DATABASE_URL || !REDIS_BASE) {
  const reason = `needs DATABASE_URL and REDIS_URL (two instances share PostgreSQL and Redis); set e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379`;
  if (asJson) process.stdout.write(`${JSON.stringify({ skipped: reason })}\n`);
  else process.stderr.write(`two-instances benchmark skipped: ${reason}\n`);
  process.exit(0);
}
for (const [name, raw] of [
  ['DATABASE_URL', DATABASE_URL],
  ['REDIS_URL', REDIS_BASE],
] as const) {
  const host = new URL(raw).hostname;
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== 'localhost')
    throw new Error(`${name}: the benchmark only talks to 127.0.0.0/8, not ${host}`);
}
/** A Redis database of its own (1–15), so the adapter's channels do not meet another run's. */
const REDIS_URL = (() => {
  const u = new URL(REDIS_BASE);
  u.pathname = `/${1 + Math.floor(Math.random() * 15)}`;
  return u.toString();
})();

async function connectSocket(
  url: string,
  auth: { visitorToken?: string; token?: string },
): Promise<PdSocket> {
  const s: PdSocket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((ok, fail) => {
    s.once('connect', () => ok());
    s.once('connect_error', fail);
  });
  return s;
}

type Placement = {
  msgsPerSec: number;
  saturatedP50Ms: number;
  saturatedP99Ms: number;
  offeredMsgsPerSec: number;
  deliveredAtOffered: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerMsg: number;
  lost: number;
  duplicated: number;
  errors: number;
};

const servers: ServerProcess[] = [];
const sockets: PdSocket[] = [];
const storage = await createStorage(DATABASE_URL);
let exitCode = 0;
try {
  log(
    `two-instances benchmark: customers=${CUSTOMERS} agents=${AGENTS} duration=${DURATION_MS / 1000}s redis=${REDIS_URL} load ${loadavg()[0]!.toFixed(1)}`,
  );
  const a = await spawnServer({
    port: await freePort(),
    storage,
    demo: true,
    redisUrl: REDIS_URL,
    instanceId: 'A',
  });
  servers.push(a);
  const b = await spawnServer({ port: await freePort(), storage, redisUrl: REDIS_URL, instanceId: 'B' });
  servers.push(b);
  const cpuMs = () => cpuMsOf(a.proc.pid ?? 0) + cpuMsOf(b.proc.pid ?? 0);

  const cap = Math.min(50, Math.ceil(CUSTOMERS / AGENTS) + 1);
  if (cap * AGENTS < CUSTOMERS) throw new Error(`--customers ${CUSTOMERS} exceeds ${AGENTS} agents × cap 50`);
  const tenant = await seedLoadTenant(a.url, { agents: AGENTS, cap });
  for (const ag of tenant.agents) await setStatus(a.url, ag.token, 'online');

  // Deliveries to agents, by client id, over the whole run (each placement uses its own client ids).
  const inbox = new AgentDeliveries();
  const connectAgents = async (url: string) => {
    const out: PdSocket[] = [];
    for (const ag of tenant.agents) {
      const s = await connectSocket(url, { token: ag.token });
      sockets.push(s);
      out.push(s);
      inbox.listen(s);
    }
    return out;
  };

  let agentSockets = await connectAgents(a.url);
  const customers: { socket: PdSocket; conversationId: string }[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const v = await startVisitor(a.url, tenant.storeId);
    const socket = await connectSocket(a.url, { visitorToken: v.visitorToken });
    sockets.push(socket);
    const ack = (await socket.timeout(10_000).emitWithAck('conversation:open', {})) as TAck<{
      id: string;
      assigneeId: string | null;
    }>;
    if (!ack.ok) throw new Error(`conversation:open: ${ack.error.message}`);
    if (!ack.data.assigneeId) throw new Error('conversation was not assigned; agents lack seats');
    customers.push({ socket, conversationId: ack.data.id });
  }
  log(`  ${CUSTOMERS} customers on A assigned to ${AGENTS} agents`);

  let seq = 0;
  let acked = 0;
  let errors = 0;
  const send = (
    prefix: string,
    c: { socket: PdSocket; conversationId: string },
    then?: () => void,
    scheduledAt = performance.now(),
  ) => {
    const clientId = `${prefix}${seq++}`;
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

  let offered = rateFlag ?? 0;
  const measure = async (prefix: string): Promise<Placement> => {
    const acked0 = acked;
    const delivered0 = inbox.delivered;
    const errors0 = errors;
    // Saturation.
    let running = true;
    for (const c of customers) {
      const loop = () => {
        if (running) send(prefix, c, loop);
      };
      loop();
    }
    await sleep(WARMUP_MS);
    inbox.resetLatencies();
    const d0 = inbox.delivered;
    const t0 = performance.now();
    const cpu0 = cpuMs();
    await sleep(DURATION_MS);
    const msgsPerSec = ((inbox.delivered - d0) * 1000) / (performance.now() - t0);
    const serverCpuUsPerMsg = ((cpuMs() - cpu0) * 1000) / Math.max(1, inbox.delivered - d0);
    const saturated = inbox.latencies;
    running = false;
    await sleep(1000);
    if (!offered) offered = Math.max(50, Math.round(msgsPerSec / 2 / 50) * 50);

    // Open loop at the offered rate.
    inbox.resetLatencies();
    const d1 = inbox.delivered;
    const t1 = performance.now();
    // Latency from each message's scheduled send time (see openLoop).
    await openLoop(offered, DURATION_MS, (i, at) =>
      send(prefix, customers[i % customers.length]!, undefined, at),
    );
    const deliveredAtOffered = ((inbox.delivered - d1) * 1000) / (performance.now() - t1);
    const open = inbox.latencies;

    // Drain: every acknowledged message of this placement must reach an agent exactly once.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && inbox.delivered - delivered0 < acked - acked0) await sleep(50);
    await sleep(300);
    const duplicated = inbox.duplicated(prefix);
    return {
      msgsPerSec,
      saturatedP50Ms: percentile(saturated, 50),
      saturatedP99Ms: percentile(saturated, 99),
      offeredMsgsPerSec: offered,
      deliveredAtOffered,
      p50Ms: percentile(open, 50),
      p99Ms: percentile(open, 99),
      serverCpuUsPerMsg,
      lost: Math.max(0, acked - acked0 - (inbox.delivered - delivered0)),
      duplicated,
      errors: errors - errors0,
    };
  };

  const show = (label: string, p: Placement) =>
    log(
      `  ${label}: ${Math.round(p.msgsPerSec)} msg/s saturated (p50 ${round(p.saturatedP50Ms)} / p99 ${round(p.saturatedP99Ms)} ms); at ${p.offeredMsgsPerSec} msg/s: delivered ${Math.round(p.deliveredAtOffered)}, p50 ${round(p.p50Ms)} / p99 ${round(p.p99Ms)} ms; CPU A+B ${Math.round(p.serverCpuUsPerMsg)} µs/msg; lost ${p.lost}, dup ${p.duplicated}, errors ${p.errors}`,
    );

  // Placements alternate A→A, A→B, A→B, A→A, … (ABBA), so warm-up and drift of the shared machine
  // fall on both alike; each placement's figures are the median of its rounds.
  const moveAgents = async (url: string) => {
    // Connect on the new instance first, then leave the old one, so agents are never offline.
    const moved = await connectAgents(url);
    await sleep(500);
    for (const s of agentSockets) s.close();
    agentSockets = moved;
    await sleep(500);
  };
  const runs: { same: Placement[]; cross: Placement[] } = { same: [], cross: [] };
  let on: 'same' | 'cross' = 'same';
  for (let round_ = 0; round_ < ROUNDS * 2; round_++) {
    const want: 'same' | 'cross' = round_ % 4 === 0 || round_ % 4 === 3 ? 'same' : 'cross';
    if (want !== on) await moveAgents(want === 'same' ? a.url : b.url);
    on = want;
    const p = await measure(`${want === 'same' ? 's' : 'x'}${round_}-`);
    runs[want].push(p);
    show(want === 'same' ? 'one instance (A→A)  ' : 'cross-instance (A→B)', p);
  }
  const med = (ps: Placement[]): Placement => {
    const m = (k: keyof Placement) => median(ps.map((p) => p[k]));
    return {
      msgsPerSec: m('msgsPerSec'),
      saturatedP50Ms: m('saturatedP50Ms'),
      saturatedP99Ms: m('saturatedP99Ms'),
      offeredMsgsPerSec: m('offeredMsgsPerSec'),
      deliveredAtOffered: m('deliveredAtOffered'),
      p50Ms: m('p50Ms'),
      p99Ms: m('p99Ms'),
      serverCpuUsPerMsg: m('serverCpuUsPerMsg'),
      lost: ps.reduce((x, p) => x + p.lost, 0),
      duplicated: ps.reduce((x, p) => x + p.duplicated, 0),
      errors: ps.reduce((x, p) => x + p.errors, 0),
    };
  };
  const same = med(runs.same);
  const cross = med(runs.cross);

  const r = (p: Placement) => ({
    msgsPerSec: Math.round(p.msgsPerSec),
    saturatedP50Ms: round(p.saturatedP50Ms),
    saturatedP99Ms: round(p.saturatedP99Ms),
    offeredMsgsPerSec: p.offeredMsgsPerSec,
    deliveredAtOffered: Math.round(p.deliveredAtOffered),
    p50Ms: round(p.p50Ms),
    p99Ms: round(p.p99Ms),
    serverCpuUsPerMsg: Math.round(p.serverCpuUsPerMsg),
    lost: p.lost,
    duplicated: p.duplicated,
    errors: p.errors,
  });
  const result = {
    msgsPerSec: Math.round(cross.msgsPerSec),
    p50Ms: round(cross.p50Ms),
    p99Ms: round(cross.p99Ms),
    lost: same.lost + cross.lost,
    duplicated: same.duplicated + cross.duplicated,
    crossInstance: r(cross),
    sameInstance: r(same),
    throughputRatio: round(cross.msgsPerSec / same.msgsPerSec, 3),
    db: 'postgres',
    customers: CUSTOMERS,
    agents: AGENTS,
    durationSec: DURATION_MS / 1000,
    rounds: ROUNDS,
    loadAvg: round(loadavg()[0]!, 2),
  };
  if (asJson) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    log(
      `  cross/same throughput ${result.throughputRatio}; p99 cross ${result.p99Ms} ms vs same ${result.sameInstance.p99Ms} ms; lost ${result.lost}, duplicated ${result.duplicated}`,
    );
  if (result.lost || result.duplicated) exitCode = 1;
} catch (e) {
  process.stderr.write(`two-instances benchmark failed: ${(e as Error).stack ?? String(e)}\n`);
  exitCode = 1;
} finally {
  for (const s of sockets) s.close();
  for (const s of servers) await s.stop('SIGKILL').catch(() => {});
  await storage.dispose().catch(() => {});
}
process.exit(exitCode);
