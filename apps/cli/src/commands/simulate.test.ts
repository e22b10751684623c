import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'pd-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) =>
  spawnSync(process.execPath, ['apps/cli/bin/peakdesk.mjs', ...args], {
    encoding: 'utf8',
    timeout: 170_000,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });

describe('peakdesk simulate', () => {
  it('replays the midnight burst end to end with nothing lost or duplicated, and writes a report', () => {
    const report = join(dir, 'report.html');
    const r = run([
      'simulate',
      '--profile',
      'double11',
      '--speed',
      '240',
      '--from',
      '00:00',
      '--to',
      '00:08',
      '--daily-volume',
      '2000',
      '--agents',
      '6',
      '--json',
      '--report',
      report,
      '--data-dir',
      join(dir, 'data'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number> & {
      expected: { servers: number; serviceLevel: number };
    };
    expect(Object.keys(summary).sort()).toEqual(
      [
        'abandoned',
        'avgWaitSeconds',
        'botResolvedShare',
        'conversations',
        'duplicated',
        'expected',
        'handedOff',
        'lost',
        'messages',
        'queuedAtEnd',
        'resolvedByAgents',
        'serviceLevel',
      ].sort(),
    );
    // The simulated agents resolve their chats and leave no queue behind.
    expect(summary.resolvedByAgents).toBeGreaterThan(0);
    expect(summary.queuedAtEnd).toBe(0);
    expect(summary.expected.servers).toBe(6 * 5);
    expect(summary.conversations).toBeGreaterThan(5);
    expect(summary.messages).toBeGreaterThan(summary.conversations!);
    expect(summary.lost).toBe(0);
    expect(summary.duplicated).toBe(0);
    expect(summary.serviceLevel).toBeGreaterThanOrEqual(0);
    expect(summary.serviceLevel).toBeLessThanOrEqual(1);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('echarts');
    expect(html).toContain(`<b>${summary.conversations}</b>`);
    expect(r.stderr).toMatch(/arrived \d+\/\d+/);
  }, 180_000);

  it('names the bad flag in a one-line error', () => {
    const r = run(['simulate', '--from', '25:99']);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe('peakdesk: --from: "25:99" is not HH:MM');
    const p = run(['simulate', '--profile', 'black-friday']);
    expect(p.stderr.trim()).toBe('peakdesk: --profile: "black-friday" is not double11 or normal');
  });
});
