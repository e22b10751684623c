import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from './simulate.command.ts';

const dir = mkdtempSync(join(tmpdir(), 'pd-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let proc: ChildProcess | null = null;
afterEach(async () => {
  const p = proc;
  proc = null;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
});

/** Starts `peakdesk start` and resolves once `/ready` answers at `url`, or rejects when it exits. */
async function start(args: string[], env: Record<string, string>, url: string): Promise<void> {
  const clean = { ...process.env };
  for (const k of ['PORT', 'HOST', 'PEAKDESK_DATA_DIR', 'DATABASE_URL', 'REDIS_URL']) delete clean[k];
  const p = spawn(process.execPath, ['apps/cli/bin/peakdesk.mjs', 'start', ...args], {
    env: { ...clean, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc = p;
  let stderr = '';
  p.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (p.exitCode !== null) throw new Error(`peakdesk start exited ${p.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not listening (yet)
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no /ready at ${url}: ${stderr}`);
}

describe('peakdesk start: flag > environment > default', () => {
  it('listens on HOST and PORT and opens PEAKDESK_DATA_DIR when no flag is given', async () => {
    const port = await freePort();
    const dataDir = join(dir, 'from-env');
    // 127.0.0.2 is loopback too, but not where the 0.0.0.0 default would be asked for by this test.
    await start(
      [],
      { PORT: String(port), HOST: '127.0.0.2', PEAKDESK_DATA_DIR: dataDir },
      `http://127.0.0.2:${port}`,
    );
    // Bound to HOST only: the same port on another loopback address is not this server.
    await expect(fetch(`http://127.0.0.1:${port}/ready`)).rejects.toThrow();
    expect(existsSync(dataDir)).toBe(true);
  }, 90_000);

  it('lets --port, --host and --data-dir override the environment', async () => {
    const [envPort, flagPort] = [await freePort(), await freePort()];
    const dataDir = join(dir, 'from-flag');
    await start(
      ['--port', String(flagPort), '--host', '127.0.0.1', '--data-dir', dataDir],
      { PORT: String(envPort), HOST: '127.0.0.2', PEAKDESK_DATA_DIR: join(dir, 'unused') },
      `http://127.0.0.1:${flagPort}`,
    );
    await expect(fetch(`http://127.0.0.2:${envPort}/ready`)).rejects.toThrow();
    expect(existsSync(dataDir)).toBe(true);
    expect(existsSync(join(dir, 'unused'))).toBe(false);
  }, 90_000);
});
