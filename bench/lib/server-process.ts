import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * The real `peakdesk start` as a child process, for tests and benchmarks that must kill it (-9),
 * run two of them, or keep the load generator off the server's event loop.
 */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CLI = join(ROOT, 'apps/cli/bin/peakdesk.mjs');

const children = new Set<ChildProcess>();
// Last line of defence: a failed test or an interrupted benchmark never leaves a server behind.
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const address = srv.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export type Storage = {
  kind: 'pglite' | 'postgres';
  /** PGlite data folder (also the --data-dir given to PostgreSQL runs, where it stays unused). */
  dataDir: string;
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
};

/** A fresh PostgreSQL database (when baseUrl is given) or a fresh PGlite folder; dispose drops it. */
export async function createStorage(baseUrl: string | undefined): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'peakdesk-proc-'));
  if (!baseUrl)
    return {
      kind: 'pglite',
      dataDir,
      databaseUrl: undefined,
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  const name = `peakdesk_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${name}`);
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    kind: 'postgres',
    dataDir,
    databaseUrl: u.toString(),
    async dispose() {
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export type ServerProcess = {
  port: number;
  url: string;
  proc: ChildProcess;
  /** Everything the process wrote to stderr/stdout (for failure messages). */
  output(): string;
  /** SIGKILL (no graceful shutdown) or SIGTERM (graceful); resolves when the process is gone. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
};

export type SpawnOptions = {
  port: number;
  storage: Storage;
  demo?: boolean;
  redisUrl?: string | undefined;
  instanceId?: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
};

export async function spawnServer(o: SpawnOptions): Promise<ServerProcess> {
  const args = [
    ...(o.nodeArgs ?? []),
    CLI,
    'start',
    '--port',
    String(o.port),
    '--host',
    '127.0.0.1',
    '--data-dir',
    o.storage.dataDir,
    ...(o.demo ? ['--demo'] : []),
  ];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  Object.assign(env, {
    LOG_LEVEL: 'warn',
    PEAKDESK_SOCKET_MSGS_PER_SECOND: '100000',
    PEAKDESK_RATE_LIMIT_PER_MINUTE: '1000000',
    PEAKDESK_WIDGET_SESSIONS_PER_MINUTE: '1000000',
    PEAKDESK_WIDGET_SESSIONS_PER_STORE_PER_MINUTE: '1000000',
    PEAKDESK_SECRET: 'process-harness-secret-0123456789abcdef',
    ...(o.storage.databaseUrl ? { DATABASE_URL: o.storage.databaseUrl } : {}),
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    ...(o.instanceId ? { PEAKDESK_INSTANCE_ID: o.instanceId } : {}),
    ...o.env,
  });
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${o.port}`;

  const deadline = Date.now() + (o.readyTimeoutMs ?? 45_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`server exited (${proc.exitCode ?? proc.signalCode}) before ready:\n${out}`);
    try {
      const res = await fetch(`${url}/ready`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port: o.port,
    url,
    proc,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A baseline echo server (`ws` or Socket.IO, see echo-server.ts) in its own process. */
export async function spawnEcho(
  mode: 'ws' | 'socketio',
  port: number,
  opts: { nodeArgs?: string[] } = {},
): Promise<{ proc: ChildProcess; stop(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', join(ROOT, 'bench/lib/echo-server.ts'), mode, String(port)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  await new Promise<void>((ok, fail) => {
    proc.stdout?.once('data', () => ok());
    proc.once('exit', (code) => fail(new Error(`echo server (${mode}) exited with ${code}`)));
  });
  return {
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
