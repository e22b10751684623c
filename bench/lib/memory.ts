import { type ChildProcess, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Memory of a child process under test and the limits a many-socket benchmark needs.
 * Pair `probeNodeArgs()` (given to spawnServer/spawnEcho) with `readMemory(proc)`.
 */
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

export type MemorySample = {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  snapshot: string | null;
};

/** Node flags that preload the SIGUSR2 memory probe (and allow it to force a full GC). */
export function probeNodeArgs(): string[] {
  return ['--expose-gc', '--import', PROBE];
}

/** Asks a probed child for its memory after a full GC (and a heap snapshot if BENCH_HEAP_SNAPSHOT_DIR was set). */
export function readMemory(proc: ChildProcess, timeoutMs = 120_000): Promise<MemorySample> {
  const out = proc.stdout;
  if (!out) return Promise.reject(new Error('readMemory: the child has no stdout pipe'));
  return new Promise((ok, fail) => {
    let buf = '';
    const done = (err: Error | null, m?: MemorySample) => {
      clearTimeout(timer);
      out.off('data', onData);
      if (err) fail(err);
      else ok(m!);
    };
    const onData = (b: Buffer) => {
      buf += b.toString();
      const m = /@@memory (\{[^\n]*\})\n/.exec(buf);
      if (m) done(null, JSON.parse(m[1]!) as MemorySample);
      else if (buf.length > 1_000_000) buf = buf.slice(-10_000);
    };
    const timer = setTimeout(
      () => done(new Error(`no memory report from pid ${proc.pid} in ${timeoutMs} ms (probe loaded?)`)),
      timeoutMs,
    );
    out.on('data', onData);
    proc.kill('SIGUSR2');
  });
}

function fdLimits(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((x) =>
    x === 'unlimited' ? Number.POSITIVE_INFINITY : Number(x),
  );
  if (soft === undefined || hard === undefined || Number.isNaN(soft) || Number.isNaN(hard))
    throw new Error('cannot read the open-files limit from /proc/self/limits');
  return { soft, hard };
}

/**
 * Makes sure this process (and children spawned after the call, which inherit it) may open `need`
 * file descriptors: raises the soft limit up to the hard limit with prlimit(1). Throws a one-line
 * reason when the hard limit is too low or the limit cannot be changed.
 */
export function ensureFdLimit(need: number): { soft: number; hard: number; raised: boolean } {
  const before = fdLimits();
  if (before.soft >= need) return { ...before, raised: false };
  if (before.hard < need)
    throw new Error(
      `needs ${need} open files but the hard limit is ${before.hard}: raise it (e.g. \`ulimit -Hn ${need}\` as root, or LimitNOFILE / limits.conf) or pass fewer --connections`,
    );
  try {
    execFileSync('prlimit', [`--pid=${process.pid}`, `--nofile=${need}:${before.hard}`], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(
      `needs ${need} open files (soft limit ${before.soft}); prlimit failed (${(e as Error).message.split('\n')[0]}): run \`ulimit -n ${need}\` in the shell first`,
    );
  }
  const after = fdLimits();
  if (after.soft < need)
    throw new Error(
      `needs ${need} open files; the soft limit stayed at ${after.soft}: run \`ulimit -n ${need}\``,
    );
  return { ...after, raised: true };
}

/** Ephemeral ports the kernel hands out for outgoing connections (per source address). */
export function localPortRange(): { low: number; high: number; count: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return { low: Number(low), high: Number(high), count: Number(high) - Number(low) + 1 };
  } catch {
    return { low: 32768, high: 60999, count: 28232 };
  }
}

/**
 * Loopback source addresses (127.0.0.2, 127.0.0.3, …) for `connections` outgoing sockets, so that no
 * address needs more than `perAddress` ephemeral ports (a bound source address takes a port of its
 * own per socket). Only 127.0.0.0/8.
 */
export function loopbackSources(connections: number, perAddress = 4000): string[] {
  const n = Math.max(1, Math.ceil(connections / perAddress));
  if (n > 250) throw new Error(`${connections} connections need more than 250 loopback addresses`);
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
}

export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** CPU time (utime + stime, ms) a process has used so far, from /proc (Linux); NaN when it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
