import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../../../..');
let dir = '';

/** Each call boots the whole CLI (about 2 s under tsx), hence the generous per-describe timeouts. */
function run(...args: string[]) {
  const result = spawnSync('node', ['apps/cli/bin/peakdesk.mjs', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** 21 days of half-hourly history; closed 01:00–07:00; otherwise a fixed weekly pattern. */
function historyCsv(): string {
  const lines = ['timestamp,count'];
  const start = Date.UTC(2024, 9, 7);
  for (let i = 0; i < 21 * 48; i++) {
    const t = new Date(start + i * 1_800_000);
    const hour = t.getUTCHours();
    const count = hour >= 1 && hour < 7 ? 0 : 20 + (i % 48) + t.getUTCDay() * 5;
    lines.push(`${t.toISOString().slice(0, 19)}+08:00,${count}`);
  }
  return `${lines.join('\n')}\n`;
}

const shifts = {
  intervalMinutes: 60,
  shiftTypes: [
    {
      name: 'four',
      lengthMinutes: 240,
      startEarliest: '08:00',
      startLatest: '12:00',
      startStepMinutes: 60,
      breaks: [],
      cost: 4,
    },
  ],
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'peakdesk-wf-'));
});

afterAll(() => {
  dir = '';
});

describe('peakdesk forecast', { timeout: 120_000 }, () => {
  it('prints JSON lines for every interval of the horizon, right after the history', () => {
    const history = write('H.csv', historyCsv());
    const out = run(
      'forecast',
      '--history',
      history,
      '--interval',
      '30m',
      '--horizon',
      '7d',
      '--json',
      '--data-dir',
      dir,
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { timestamp: string; forecast: number });
    expect(lines).toHaveLength(7 * 48);
    expect(lines[0]?.timestamp).toBe('2024-10-28T00:00:00+08:00');
    expect(lines[2]).toEqual({ timestamp: '2024-10-28T01:00:00+08:00', forecast: 0 });
    for (const l of lines) expect(l.forecast).toBeGreaterThanOrEqual(0);
  });

  it('prints CSV with a header without --json, for a chosen method', () => {
    const history = write('H2.csv', historyCsv());
    const out = run(
      'forecast',
      '--history',
      history,
      '--interval',
      '1h',
      '--horizon',
      '24h',
      '--method',
      'seasonal-naive',
    );
    expect(out.code).toBe(0);
    const rows = out.stdout.trim().split('\n');
    expect(rows[0]).toBe('timestamp,forecast');
    expect(rows).toHaveLength(25);
    // Seasonal naive repeats the same hour last week: Monday 2024-10-21 00:00–01:00 = (20+0+5) + (20+1+5).
    expect(rows[1]).toBe('2024-10-28T00:00:00+08:00,51');
  });

  it('names file, line and field on bad input', () => {
    const bad = write(
      'bad.csv',
      'timestamp,count\n2024-10-07T00:00:00+08:00,1\n2024-10-07T00:30:00+08:00,abc\n',
    );
    const out = run('forecast', '--history', bad, '--interval', '30m', '--horizon', '1d');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toBe(`peakdesk: ${bad} line 3, field "count": "abc" is not a number`);
    const missing = run('forecast', '--history', join(dir, 'nope.csv'));
    expect(missing.stderr).toMatch(/nope\.csv: cannot read file \(no such file\)$/);
    const noColumn = write('nocol.csv', 'time,count\n2024-10-07T00:00:00Z,1\n');
    expect(run('forecast', '--history', noColumn).stderr).toMatch(
      /nocol\.csv line 1, field "timestamp": missing column/,
    );
    const badTime = write('badtime.csv', 'timestamp,count\nmonday,1\n');
    expect(run('forecast', '--history', badTime).stderr).toMatch(
      /badtime\.csv line 2, field "timestamp": "monday"/,
    );
    const negative = write('neg.csv', 'timestamp,count\n2024-10-07T00:00:00Z,-4\n');
    expect(run('forecast', '--history', negative).stderr).toMatch(
      /neg\.csv line 2, field "count": -4 is negative/,
    );
    expect(run('forecast', '--history', bad, '--interval', '7x').stderr).toBe(
      'peakdesk: --interval: "7x" is not a duration like 15m, 30m, 1h or 7d',
    );
    expect(run('forecast', '--history', bad, '--method', 'magic').stderr).toMatch(/--method: "magic"/);
  });
});

describe('peakdesk staffing', { timeout: 120_000 }, () => {
  it('prints one JSON object for Erlang C (Call Centre Helper example: 14 agents, 20 positions)', () => {
    const out = run(
      'staffing',
      '--model',
      'erlang-c',
      '--volume',
      '100',
      '--interval',
      '30m',
      '--aht',
      '180',
      '--target-seconds',
      '20',
      '--service-level',
      '0.8',
      '--shrinkage',
      '0.3',
      '--json',
    );
    expect(out.code).toBe(0);
    const row = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(Object.keys(row)).toEqual([
      'model',
      'agents',
      'positions',
      'serviceLevel',
      'asa',
      'waitProbability',
      'occupancy',
      'abandonRate',
    ]);
    expect(row).toMatchObject({ model: 'erlang-c', agents: 14, positions: 20, abandonRate: null });
  });

  it('handles Erlang A with concurrency, the simple rule, and a table without --json', () => {
    const a = run(
      'staffing',
      '--model',
      'erlang-a',
      '--volume',
      '300',
      '--aht',
      '240',
      '--target-seconds',
      '30',
    );
    expect(a.stderr).toBe('peakdesk: --patience is required for --model erlang-a');
    const erlangA = run(
      'staffing',
      '--model',
      'erlang-a',
      '--volume',
      '300',
      '--aht',
      '240',
      '--target-seconds',
      '30',
      '--patience',
      '120',
      '--concurrency',
      '2',
      '--max-occupancy',
      '0.85',
      '--json',
    );
    const row = JSON.parse(erlangA.stdout) as {
      abandonRate: number;
      occupancy: number;
      serviceLevel: number;
    };
    expect(row.abandonRate).toBeGreaterThan(0);
    expect(row.occupancy).toBeLessThanOrEqual(0.85);
    expect(row.serviceLevel).toBeGreaterThanOrEqual(0.8);
    const simple = JSON.parse(run('staffing', '--model', 'simple', '--volume', '1000', '--json').stdout);
    expect(simple).toMatchObject({ agents: 6, serviceLevel: null, asa: null, waitProbability: null });
    const table = run('staffing', '--model', 'simple', '--volume', '1000');
    expect(table.stdout.split('\n')[0]).toMatch(/^model\s+agents\s+positions/);
  });

  it('prints one line per interval from --file, with per-row aht', () => {
    const volumes = write(
      'V.csv',
      'interval_start,volume,aht\n2024-11-11T00:00:00+08:00,100,180\n2024-11-11T00:30:00+08:00,200,\n',
    );
    const out = run(
      'staffing',
      '--model',
      'erlang-c',
      '--file',
      volumes,
      '--aht',
      '180',
      '--target-seconds',
      '20',
      '--json',
    );
    expect(out.code).toBe(0);
    const rows = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { interval_start: string; agents: number });
    expect(rows.map((r) => [r.interval_start, r.agents])).toEqual([
      ['2024-11-11T00:00:00+08:00', 14],
      // 200 per 30 min × 180 s = 20 Erlangs: 24 agents reach 80% in 20 s.
      ['2024-11-11T00:30:00+08:00', 24],
    ]);
    const bad = write('V2.csv', 'interval_start,volume\n2024-11-11T00:00:00+08:00,-3\n');
    expect(run('staffing', '--model', 'simple', '--file', bad).stderr).toBe(
      `peakdesk: ${bad} line 2, field "volume": -3 is negative`,
    );
    expect(run('staffing', '--model', 'erlang-x', '--volume', '1').stderr).toMatch(/--model: "erlang-x"/);
    expect(run('staffing', '--model', 'simple', '--volume', '1', '--shrinkage', '1').stderr).toMatch(
      /--shrinkage: 1 must be/,
    );
  });
});

describe('peakdesk schedule', { timeout: 120_000 }, () => {
  it('solves a staircase and prints shifts and coverage with gap', () => {
    const requirements = write(
      'R.csv',
      [
        'interval_start,required',
        ...[1, 2, 3, 3, 2, 1, 1, 1].map(
          (r, i) => `2024-11-11T${String(8 + i).padStart(2, '0')}:00:00+08:00,${r}`,
        ),
      ].join('\n'),
    );
    const shiftsFile = write('S.json', JSON.stringify(shifts));
    const out = run(
      'schedule',
      '--requirements',
      requirements,
      '--shifts',
      shiftsFile,
      '--time-limit',
      '10',
      '--json',
    );
    expect(out.stderr).toBe('');
    const result = JSON.parse(out.stdout) as {
      status: string;
      cost: number;
      gap: number;
      shifts: { type: string; start: string; end: string; breaks: unknown[]; count: number }[];
      coverage: { interval_start: string; required: number; scheduled: number }[];
    };
    expect(result.status).toBe('optimal');
    expect(result.cost).toBe(16);
    expect(result.gap).toBe(0);
    expect(result.shifts[0]).toEqual({
      type: 'four',
      start: '2024-11-11T08:00:00+08:00',
      end: '2024-11-11T12:00:00+08:00',
      breaks: [],
      count: 1,
    });
    expect(result.coverage).toHaveLength(8);
    for (const c of result.coverage) expect(c.scheduled).toBeGreaterThanOrEqual(c.required);
    const text = run('schedule', '--requirements', requirements, '--shifts', shiftsFile);
    expect(text.stdout).toMatch(/^status: optimal/);
  });

  it('reports understaffed when caps make coverage impossible', () => {
    const requirements = write(
      'R3.csv',
      'interval_start,required\n2024-11-11T08:00:00Z,3\n2024-11-11T09:00:00Z,3\n',
    );
    const capped = { ...shifts, shiftTypes: [{ ...shifts.shiftTypes[0], maxCount: 1 }] };
    const out = run(
      'schedule',
      '--requirements',
      requirements,
      '--shifts',
      write('S3.json', JSON.stringify(capped)),
      '--json',
    );
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ status: 'understaffed', shortfall: 4 });
  });

  it('names impossible shift definitions and bad requirement rows', () => {
    const requirements = write(
      'R2.csv',
      'interval_start,required\n2024-11-11T08:00:00Z,1\n2024-11-11T08:30:00Z,1\n',
    );
    const impossible = {
      ...shifts,
      shiftTypes: [{ ...shifts.shiftTypes[0], startEarliest: '12:00', startLatest: '08:00' }],
    };
    const s = write('S2.json', JSON.stringify(impossible));
    expect(run('schedule', '--requirements', requirements, '--shifts', s).stderr).toBe(
      `peakdesk: ${s}: field "shiftTypes[0].startLatest": 08:00 is before startEarliest 12:00`,
    );
    const ok = write('S4.json', JSON.stringify(shifts));
    expect(run('schedule', '--requirements', requirements, '--shifts', ok).stderr).toBe(
      `peakdesk: ${requirements} line 3, field "interval_start": not on the 60-minute grid of ${ok}`,
    );
    expect(
      run('schedule', '--requirements', requirements, '--shifts', write('S5.json', '{nope')).stderr,
    ).toMatch(/S5\.json: invalid JSON/);
  });
});
