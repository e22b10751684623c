import type {
  TErrorBody,
  TIntradayView,
  TMyShift,
  TPlan,
  TPlanComparison,
  TPlanDetail,
  TPlanSettingsInput,
  TPlanVersion,
  TPromotionDayTemplate,
  TVolumeHistory,
  TVolumeSeries,
} from '@peakdesk/contracts';
import { schema } from '@peakdesk/db';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createTenant,
  login,
  startTestServer,
  type Tenant,
  type TestServer,
} from '../../../test/harness.ts';

let server: TestServer;
let t: Tenant;
let other: Tenant;
let admin: string;
let supervisor: string;
let agent1: string;
let otherAdmin: string;

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;
/** Today in China (the plans' clock), YYYY-MM-DD. */
const today = new Date(Date.now() + OFFSET_MS).toISOString().slice(0, 10);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Half-hourly arrivals with the seed's promotion-day shape (peaks 00–02, 08–10, 15–17, 20–24). */
function profile(slot: number): number {
  const hour = slot / 2;
  if (hour < 2) return 15;
  if (hour < 8) return 2;
  if (hour < 10) return 30;
  if (hour < 15) return 20;
  if (hour < 17) return 30;
  if (hour < 20) return 20;
  return 35;
}

/** `days` days of history ending at `endDate` 00:00 +08:00, as CSV `timestamp,count`. */
function historyCsv(endDate: string, days: number): string {
  const lines = ['timestamp,count'];
  const start = Date.parse(`${endDate}T00:00:00Z`) - days * DAY_MS;
  for (let d = 0; d < days; d++) {
    for (let slot = 0; slot < 48; slot++) {
      const wall = new Date(start + d * DAY_MS + slot * 1_800_000).toISOString().slice(0, 19);
      lines.push(`${wall}+08:00,${profile(slot)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const importCsv = (token: string, csv: string, query = 'format=csv&filename=history.csv') =>
  api<TVolumeHistory & Partial<TErrorBody>>(server, 'POST', `/api/workforce/histories/import?${query}`, {
    token,
    raw: Buffer.from(csv),
    headers: { 'content-type': 'text/csv' },
  });

async function template(date: string): Promise<TPlanSettingsInput> {
  const res = await api<TPromotionDayTemplate>(
    server,
    'GET',
    `/api/workforce/templates/promotion-day?date=${date}`,
    { token: supervisor },
  );
  expect(res.status).toBe(200);
  return res.body.settings;
}

const createPlan = (token: string, body: Record<string, unknown>) =>
  api<TPlanDetail & { version: TPlanVersion } & Partial<TErrorBody>>(server, 'POST', '/api/workforce/plans', {
    token,
    body,
  });

beforeAll(async () => {
  server = await startTestServer();
  t = await createTenant(server, { agents: 3 });
  other = await createTenant(server, { agents: 1 });
  [admin, supervisor, agent1, otherAdmin] = await Promise.all([
    login(server, t.admin.email),
    login(server, t.supervisor.email),
    login(server, t.agents[0]!.email),
    login(server, other.admin.email),
  ]);
});
afterAll(async () => {
  await server?.stop();
});

describe('volume history import', () => {
  it('imports a CSV history and lists it', async () => {
    const res = await importCsv(
      supervisor,
      historyCsv('2025-11-11', 21),
      'format=csv&filename=oct.csv&name=十月',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '十月',
      fileName: 'oct.csv',
      pointCount: 21 * 48,
      offsetMinutes: 480,
    });
    expect(res.body.firstAt).toBe('2025-10-21T00:00:00+08:00');
    const list = await api<TVolumeHistory[]>(server, 'GET', '/api/workforce/histories', {
      token: supervisor,
    });
    expect(list.body.map((h) => h.id)).toContain(res.body.id);
  });

  it('rejects a bad row naming file, line and field, and stores nothing', async () => {
    const before = (await api<TVolumeHistory[]>(server, 'GET', '/api/workforce/histories', { token: admin }))
      .body.length;
    const bad = 'timestamp,count\n2025-11-01T00:00:00+08:00,5\n2025-11-01T00:30:00+08:00,-3\n';
    const res = await importCsv(admin, bad, 'format=csv&filename=bad.csv');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_history_file');
    expect(res.body.message).toBe('bad.csv:3: field "count" -3 is negative');
    expect(res.body.field).toBe('count');

    const badTime = await importCsv(admin, 'timestamp,count\nyesterday,5\n', 'format=csv&filename=t.csv');
    expect(badTime.status).toBe(400);
    expect(badTime.body.message).toBe('t.csv:2: field "timestamp" "yesterday" is not an ISO 8601 timestamp');

    const missing = await importCsv(
      admin,
      'time,count\n2025-11-01T00:00:00Z,1\n',
      'format=csv&filename=m.csv',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('timestamp');

    const after = (await api<TVolumeHistory[]>(server, 'GET', '/api/workforce/histories', { token: admin }))
      .body;
    expect(after.length).toBe(before);
  });

  it('refuses a repeated interval, a NUL byte and an empty file in the one format', async () => {
    const repeated = await importCsv(
      admin,
      'timestamp,count\n2025-11-01T00:00:00+08:00,5\n2025-10-31T16:00:00Z,3\n',
      'format=csv&filename=r.csv',
    );
    expect(repeated.body.message).toBe('r.csv:3: field "timestamp" repeats "2025-10-31T16:00:00Z" of line 2');
    const nul = await importCsv(
      admin,
      'timestamp,count\n2025-11-01T00:00:00Z,5\u0000\n',
      'format=csv&filename=n.csv',
    );
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ field: 'count', code: 'invalid_history_file' });
    expect(nul.body.message).toMatch(/^n\.csv:2: field "count" contains a NUL character/);
    const empty = await importCsv(admin, 'timestamp,count\n', 'format=csv&filename=e.csv');
    expect(empty.body.message).toBe('e.csv:2: has no data rows');
  });

  it('imports XLSX with the same rules (sheet row numbers in errors)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('history');
    sheet.addRow(['timestamp', 'count']);
    sheet.addRow(['2025-11-01T00:00:00+08:00', 4]);
    sheet.addRow([new Date(Date.UTC(2025, 10, 1, 0, 30)), 6]);
    const good = Buffer.from(await workbook.xlsx.writeBuffer());
    const ok = await api<TVolumeHistory>(
      server,
      'POST',
      '/api/workforce/histories/import?format=xlsx&filename=h.xlsx',
      {
        token: admin,
        raw: good,
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      },
    );
    expect(ok.status).toBe(201);
    expect(ok.body.pointCount).toBe(2);
    expect(ok.body.totalCount).toBe(10);

    sheet.addRow(['2025-11-01T01:00:00+08:00', 'many']);
    const bad = await api<TErrorBody>(
      server,
      'POST',
      '/api/workforce/histories/import?format=xlsx&filename=h.xlsx',
      {
        token: admin,
        raw: Buffer.from(await workbook.xlsx.writeBuffer()),
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('h.xlsx:4: field "count" "many" is not a number');
  });

  it('agents cannot import or list histories', async () => {
    expect((await importCsv(agent1, historyCsv('2025-11-11', 1))).status).toBe(403);
    expect((await api(server, 'GET', '/api/workforce/histories', { token: agent1 })).status).toBe(403);
  });
});

describe('plans', () => {
  let historyId: string;
  let plan: TPlanDetail & { version: TPlanVersion };

  beforeAll(async () => {
    historyId = (await importCsv(supervisor, historyCsv('2025-11-11', 21))).body.id;
  });

  it('the promotion-day template has the four peaks and three overlapping shifts', async () => {
    const settings = await template('2025-11-11');
    expect(settings.peakWindows).toEqual([
      { start: '00:00', end: '02:00' },
      { start: '08:00', end: '10:00' },
      { start: '15:00', end: '17:00' },
      { start: '20:00', end: '24:00' },
    ]);
    expect(settings.shifts.shiftTypes.map((s) => s.name)).toEqual(['早班', '晚班', '值班']);
  });

  it('builds forecast → staffing → schedule → roster and covers the requirement', async () => {
    const settings = await template('2025-11-11');
    const res = await createPlan(supervisor, {
      name: '双11 售前',
      storeId: t.store.id,
      groupId: t.groups.presale.id,
      settings: {
        ...settings,
        history: { source: 'import', historyId },
        forecast: { method: 'weekday-mean', promotionDates: [], upliftFactor: 3 },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    plan = res.body;
    const v = plan.version;
    expect(v.version).toBe(1);
    expect(plan.latestVersion).toBe(1);
    expect(v.intervals).toHaveLength(48);
    expect(v.intervals[0]!.start).toBe('2025-11-11T00:00:00+08:00');
    // Weekday mean of a flat history × the planner's uplift.
    expect(v.intervals[0]!.forecast).toBeCloseTo(45, 5);
    expect(v.intervals[16]!.forecast).toBeCloseTo(90, 5);
    expect(['optimal', 'time-limit']).toContain(v.schedule.status);
    for (const i of v.intervals) expect(i.scheduled).toBeGreaterThanOrEqual(i.required);
    expect(v.peakRequired).toBe(Math.max(...v.intervals.map((i) => i.required)));
    expect(v.schedule.shifts.every((s) => ['早班', '晚班', '值班'].includes(s.type))).toBe(true);
    // Three agents, one shift a day each: three rostered, the rest reported unassigned.
    expect(v.roster.assignments).toHaveLength(3);
    expect(new Set(v.roster.assignments.map((a) => a.userId))).toEqual(new Set(t.agents.map((a) => a.id)));
    expect(v.roster.unassigned.length).toBe(v.shiftCount - 3);
    // Most-uncovered-first: the three go to different shift types (the peaks 00–02, 08–10 and 20–24
    // are each worked by one type only), not all to the 00:00 duty shift that starts first.
    expect(new Set(v.roster.assignments.map((a) => a.type))).toEqual(new Set(['早班', '晚班', '值班']));
    // The gap is what the three leave short of the requirement, merged: here the whole day.
    expect(v.roster.gap.people).toBe(v.peakRequired - 1);
    expect(v.roster.gap.windows[0]!.start).toBe('2025-11-11T00:00:00+08:00');
    expect(v.roster.gap.windows.at(-1)!.end).toBe('2025-11-12T00:00:00+08:00');
  });

  it('every save is a new immutable version; versions can be listed, opened and compared', async () => {
    const v1 = plan.version;
    const res = await api<TPlanVersion>(server, 'POST', `/api/workforce/plans/${plan.id}/versions`, {
      token: supervisor,
      body: {
        note: '加大预估',
        settings: { ...v1.settings, forecast: { ...v1.settings.forecast, upliftFactor: 4 } },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.version).toBe(2);
    expect(res.body.forecastTotal).toBeGreaterThan(v1.forecastTotal);

    const detail = await api<TPlanDetail>(server, 'GET', `/api/workforce/plans/${plan.id}`, { token: admin });
    expect(detail.body.versions.map((v) => [v.version, v.note])).toEqual([
      [1, ''],
      [2, '加大预估'],
    ]);
    const again = await api<TPlanVersion>(server, 'GET', `/api/workforce/plans/${plan.id}/versions/1`, {
      token: admin,
    });
    expect(again.body.intervals).toEqual(v1.intervals);
    expect(again.body.settings.forecast.upliftFactor).toBe(3);

    const cmp = await api<TPlanComparison>(server, 'GET', `/api/workforce/plans/${plan.id}/compare?a=1&b=2`, {
      token: admin,
    });
    expect(cmp.status).toBe(200);
    expect(cmp.body.intervals).toHaveLength(48);
    const row = cmp.body.intervals[16]!;
    expect(row.forecastB! / row.forecastA!).toBeCloseTo(4 / 3, 5);
    expect(cmp.body.b.peakRequired).toBeGreaterThanOrEqual(cmp.body.a.peakRequired);

    const list = await api<TPlan[]>(server, 'GET', '/api/workforce/plans', { token: supervisor });
    expect(list.body.find((p) => p.id === plan.id)?.latestVersion).toBe(2);
  });

  it('validation errors name the field', async () => {
    const settings = await template('2025-11-11');
    const badDate = await createPlan(supervisor, {
      name: 'x',
      settings: { ...settings, history: { source: 'import', historyId }, dates: ['2025-11-31x'] },
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.field).toBe('settings.dates.0');

    const shiftTypes = settings.shifts.shiftTypes.map((s, i) =>
      i === 1
        ? {
            ...s,
            breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 300, latestAfterStartMinutes: 900 }],
          }
        : s,
    );
    const badShift = await createPlan(supervisor, {
      name: 'x',
      settings: { ...settings, history: { source: 'import', historyId }, shifts: { shiftTypes } },
    });
    expect(badShift.status).toBe(400);
    // Engine errors use the same path notation as request validation, so a client can map both.
    expect(badShift.body.field).toBe('settings.shifts.shiftTypes.1.breaks.0.latestAfterStartMinutes');
    expect(badShift.body.message).toBe(
      'settings.shifts.shiftTypes.1.breaks.0.latestAfterStartMinutes: a 60-minute break starting at 900 ends after the 540-minute shift',
    );

    const early = await createPlan(supervisor, {
      name: 'x',
      settings: { ...settings, history: { source: 'import', historyId }, dates: ['2025-11-05'] },
    });
    expect(early.status).toBe(400);
    expect(early.body.field).toBe('settings.dates');

    const noPatience = await createPlan(supervisor, {
      name: 'x',
      settings: {
        ...settings,
        history: { source: 'import', historyId },
        staffing: { ...settings.staffing, model: 'erlang-a' },
      },
    });
    expect(noPatience.status).toBe(400);
    expect(noPatience.body.field).toBe('settings.staffing.patienceSeconds');

    const plans = (await api<TPlan[]>(server, 'GET', '/api/workforce/plans', { token: supervisor })).body;
    expect(plans.every((p) => p.name !== 'x')).toBe(true);
  });

  it('shift type, cap and peak window errors name their field', async () => {
    const settings = await template('2025-11-11');
    const base = { ...settings, history: { source: 'import' as const, historyId } };
    const types = settings.shifts.shiftTypes;
    const cases: [TPlanSettingsInput, string, RegExp][] = [
      [
        {
          ...base,
          shifts: { shiftTypes: types.map((s, i) => (i === 0 ? { ...s, startEarliest: '7:00' } : s)) },
        },
        'settings.shifts.shiftTypes.0.startEarliest',
        /HH:MM/,
      ],
      [
        { ...base, shifts: { shiftTypes: types.map((s, i) => (i === 2 ? { ...s, name: '早班' } : s)) } },
        'settings.shifts.shiftTypes.2.name',
        /used twice/,
      ],
      [
        {
          ...base,
          shifts: {
            shiftTypes: types.map((s, i) =>
              i === 0
                ? {
                    ...s,
                    breaks: [
                      { lengthMinutes: 45, earliestAfterStartMinutes: 240, latestAfterStartMinutes: 300 },
                    ],
                  }
                : s,
            ),
          },
        },
        'settings.shifts.shiftTypes.0.breaks.0.lengthMinutes',
        /not a multiple of the 30-minute interval/,
      ],
      [
        { ...base, shifts: { shiftTypes: types.map((s, i) => (i === 1 ? { ...s, maxCount: -1 } : s)) } },
        'settings.shifts.shiftTypes.1.maxCount',
        /./,
      ],
      [
        { ...base, shifts: { shiftTypes: types, maxPartTimeShare: 1.5 } },
        'settings.shifts.maxPartTimeShare',
        /./,
      ],
      [
        {
          ...base,
          peakWindows: [
            { start: '08:00', end: '10:00' },
            { start: '17:00', end: '15:00' },
          ],
        },
        'settings.peakWindows.1.end',
        /not after the start 17:00/,
      ],
      [{ ...base, peakWindows: [{ start: '20:00', end: '24:30' }] }, 'settings.peakWindows.0.end', /24:00/],
    ];
    for (const [bad, field, message] of cases) {
      const res = await createPlan(supervisor, { name: 'x', settings: bad });
      expect([res.status, res.body.field], field).toEqual([400, field]);
      expect(res.body.message).toMatch(message);
    }
  });

  it('a new version schedules with the edited shift types, caps and peak windows', async () => {
    const v1 = plan.version;
    const early = v1.schedule.shifts.filter((s) => s.type === '早班').reduce((n, s) => n + s.count, 0);
    expect(early).toBeGreaterThan(2);
    const settings = {
      ...v1.settings,
      shifts: {
        ...v1.settings.shifts,
        // 早班: at most 2, the 1 h break exactly 3 h in; 晚班 becomes part-time, with part-time capped at 0.
        shiftTypes: v1.settings.shifts.shiftTypes.map((s) =>
          s.name === '早班'
            ? {
                ...s,
                maxCount: 2,
                breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 180, latestAfterStartMinutes: 180 }],
              }
            : s.name === '晚班'
              ? { ...s, isPartTime: true }
              : s,
        ),
        maxPartTimeShare: 0,
      },
      peakWindows: [
        { start: '00:00', end: '01:00' },
        { start: '09:00', end: '11:00' },
      ],
    };
    const res = await api<TPlanVersion>(server, 'POST', `/api/workforce/plans/${plan.id}/versions`, {
      token: supervisor,
      body: { note: '早班封顶', settings },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const v = res.body;
    expect(v.settings.peakWindows).toEqual(settings.peakWindows);
    expect(v.settings.shifts.maxPartTimeShare).toBe(0);
    const earlyShifts = v.schedule.shifts.filter((s) => s.type === '早班');
    // The cap binds (the morning needs more than two), so both are used and the plan says it is short.
    expect(earlyShifts.reduce((n, s) => n + s.count, 0)).toBe(2);
    expect(v.schedule.status).toBe('understaffed');
    expect(v.schedule.shortfall).toBeGreaterThan(0);
    for (const s of earlyShifts) {
      expect(Date.parse(s.breaks[0]!.start) - Date.parse(s.start)).toBe(3 * 3_600_000);
    }
    // Part-time share 0: no 晚班 at all.
    expect(v.schedule.shifts.some((s) => s.type === '晚班')).toBe(false);
    // Every interval's scheduled count is what these shifts work there (breaks excluded).
    const working = (at: number) =>
      v.schedule.shifts
        .filter((s) => Date.parse(s.start) <= at && at < Date.parse(s.end))
        .filter((s) => !s.breaks.some((b) => Date.parse(b.start) <= at && at < Date.parse(b.end)))
        .reduce((n, s) => n + s.count, 0);
    for (const i of v.intervals)
      expect([i.start, i.scheduled]).toEqual([i.start, working(Date.parse(i.start))]);
    // From 10:00 to 14:00 only 早班 works, so at most its two agents are there.
    const midday = v.intervals.filter((i) => i.start >= '2025-11-11T10:00' && i.start < '2025-11-11T14:00');
    expect(Math.max(...midday.map((i) => i.scheduled))).toBeLessThanOrEqual(2);
  });

  it('exports a version as XLSX with forecast, staffing, schedule and roster sheets', async () => {
    const res = await fetch(`${server.url}/api/workforce/plans/${plan.id}/versions/1/export`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['forecast', 'staffing', 'schedule', 'roster']);
    expect(workbook.getWorksheet('forecast')!.rowCount).toBe(49);
    const staffing = workbook.getWorksheet('staffing')!;
    expect(staffing.getRow(1).values).toContain('required');
    expect(Number(staffing.getRow(18).getCell(4).value)).toBe(plan.version.intervals[16]!.required);
    expect(workbook.getWorksheet('roster')!.rowCount).toBe(1 + plan.version.shiftCount);
  });

  it('exports shift names that look like formulas as text (formula injection)', async () => {
    const settings = await template('2025-11-11');
    const names = ['=HYPERLINK("http://evil.example","早班")', '@晚班', '+值班'];
    const res = await createPlan(supervisor, {
      name: '-注入测试',
      settings: {
        ...settings,
        history: { source: 'import', historyId },
        forecast: { method: 'weekday-mean', promotionDates: [], upliftFactor: 3 },
        shifts: { shiftTypes: settings.shifts.shiftTypes.map((s, i) => ({ ...s, name: names[i]! })) },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const file = await fetch(`${server.url}/api/workforce/plans/${res.body.id}/versions/1/export`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await file.arrayBuffer());
    const typesIn = (sheet: string, col: number) => {
      const values = new Set<unknown>();
      workbook.getWorksheet(sheet)!.eachRow((row, n) => {
        if (n > 1) values.add(row.getCell(col).value);
      });
      return values;
    };
    const escaped = names.map((n) => `'${n}`);
    expect([...typesIn('schedule', 1)].every((v) => escaped.includes(v as string))).toBe(true);
    expect(typesIn('roster', 2).size).toBeGreaterThan(0);
    expect([...typesIn('roster', 2)].every((v) => escaped.includes(v as string))).toBe(true);
  });

  it('agents see only their own shifts, once a version is published', async () => {
    expect((await api(server, 'GET', '/api/workforce/plans', { token: agent1 })).status).toBe(403);
    expect((await api(server, 'GET', `/api/workforce/plans/${plan.id}`, { token: agent1 })).status).toBe(403);
    const range = 'from=2025-11-10T00:00:00%2B08:00&to=2025-11-13T00:00:00%2B08:00';
    const none = await api<TMyShift[]>(server, 'GET', `/api/workforce/my-shifts?${range}`, { token: agent1 });
    expect(none.body).toEqual([]);

    const pub = await api<TPlanDetail>(server, 'POST', `/api/workforce/plans/${plan.id}/versions/1/publish`, {
      token: supervisor,
    });
    expect(pub.body.publishedVersion).toBe(1);
    const mine = await api<TMyShift[]>(server, 'GET', `/api/workforce/my-shifts?${range}`, { token: agent1 });
    const expected = plan.version.roster.assignments.filter((a) => a.userId === t.agents[0]!.id);
    expect(mine.body.map((s) => [s.type, s.start, s.end])).toEqual(
      expected.map((a) => [a.type, a.start, a.end]),
    );
    expect(mine.body[0]?.planName).toBe('双11 售前');
    // A supervisor has no roster rows: their list is empty, not someone else's.
    const sup = await api<TMyShift[]>(server, 'GET', `/api/workforce/my-shifts?${range}`, {
      token: supervisor,
    });
    expect(sup.body).toEqual([]);
  });

  it("another organisation's plans and histories do not exist for it", async () => {
    for (const path of [
      `/api/workforce/plans/${plan.id}`,
      `/api/workforce/plans/${plan.id}/versions/1`,
      `/api/workforce/plans/${plan.id}/versions/1/export`,
      `/api/workforce/plans/${plan.id}/compare?a=1&b=2`,
      `/api/workforce/plans/${plan.id}/intraday`,
    ]) {
      expect((await api(server, 'GET', path, { token: otherAdmin })).status, path).toBe(404);
    }
    const save = await api(server, 'POST', `/api/workforce/plans/${plan.id}/versions`, {
      token: otherAdmin,
      body: { settings: plan.version.settings },
    });
    expect(save.status).toBe(404);
    const list = await api<TPlan[]>(server, 'GET', '/api/workforce/plans', { token: otherAdmin });
    expect(list.body).toEqual([]);
    const steal = await createPlan(otherAdmin, {
      name: 'steal',
      settings: { ...(await template('2025-11-11')), history: { source: 'import', historyId } },
    });
    expect(steal.status).toBe(400);
    expect(steal.body.field).toBe('settings.history.historyId');
  });
});

describe('facts and intraday', () => {
  let planId: string;

  const insertCreated = async (at: Date, n: number) => {
    if (n <= 0) return;
    await server.db.db.insert(schema.facts).values(
      Array.from({ length: n }, () => ({
        orgId: t.org.id,
        kind: 'conversation.created',
        storeId: t.store.id,
        groupId: t.groups.presale.id,
        at,
      })),
    );
  };

  it('volume from facts counts conversation.created per interval of the merchant clock', async () => {
    const base = Date.parse(`${addDays(today, -2)}T10:00:00Z`) - OFFSET_MS; // 10:00 +08:00 two days ago
    await insertCreated(new Date(base + 60_000), 4);
    await insertCreated(new Date(base + 31 * 60_000), 2);
    const res = await api<TVolumeSeries>(
      server,
      'GET',
      `/api/workforce/volume?storeId=${t.store.id}&intervalMinutes=30&days=3`,
      { token: supervisor },
    );
    expect(res.status).toBe(200);
    const at = (time: string) =>
      res.body.points.find((p) => p.start === `${addDays(today, -2)}T${time}:00+08:00`);
    expect(at('10:00')?.count).toBe(4);
    expect(at('10:30')?.count).toBe(2);
    expect(at('11:00')?.count).toBe(0);
    const otherOrg = await api<TVolumeSeries>(server, 'GET', '/api/workforce/volume?days=3', {
      token: otherAdmin,
    });
    expect(otherOrg.body.points.every((p) => p.count === 0)).toBe(true);
  });

  it('a plan can forecast from facts', async () => {
    const settings = await template(addDays(today, 1));
    const res = await createPlan(supervisor, {
      name: '明日 (facts)',
      storeId: t.store.id,
      settings: {
        ...settings,
        history: { source: 'facts', weeks: 1 },
        forecast: { method: 'seasonal-naive' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.version.forecastMethod).toBe('seasonal-naive');
  });

  it('intraday: actual vs forecast, reforecast, required vs signed-in, reserve alert', async () => {
    const historyId = (await importCsv(supervisor, historyCsv(today, 14))).body.id;
    const settings = await template(today);
    const res = await createPlan(supervisor, {
      name: '今日',
      storeId: t.store.id,
      groupId: t.groups.presale.id,
      settings: {
        ...settings,
        history: { source: 'import', historyId },
        forecast: { method: 'weekday-mean', promotionDates: [], upliftFactor: 1 },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    planId = res.body.id;
    const v = res.body.version;
    // Twice the forecast arrives in every interval up to 10:00; the day is replayed as of 10:15.
    const dayStart = Date.parse(`${today}T00:00:00Z`) - OFFSET_MS;
    for (let slot = 0; slot < 20; slot++) {
      await insertCreated(
        new Date(dayStart + slot * 1_800_000 + 1000),
        Math.round(v.intervals[slot]!.forecast * 2),
      );
    }
    await insertCreated(new Date(dayStart + 20 * 1_800_000 + 1000), 7);
    const at = encodeURIComponent(`${today}T10:15:00+08:00`);
    const view = await api<TIntradayView>(server, 'GET', `/api/workforce/plans/${planId}/intraday?at=${at}`, {
      token: supervisor,
    });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    const d = view.body;
    expect(d.date).toBe(today);
    expect(d.ratio).toBeCloseTo(2, 1);
    expect(d.intervals[0]!.actual).toBe(Math.round(v.intervals[0]!.forecast * 2));
    expect(d.intervals[19]!.isPast).toBe(true);
    expect(d.intervals[20]!.isCurrent).toBe(true);
    expect(d.intervals[20]!.actual).toBe(7);
    expect(d.intervals[21]!.actual).toBeNull();
    expect(d.intervals[21]!.reforecast).toBeCloseTo(v.intervals[21]!.forecast * d.ratio, 1);
    expect(d.intervals[21]!.requiredReforecast).toBeGreaterThan(d.intervals[21]!.required);
    // Nobody is online: the current interval is short by its whole requirement.
    expect(d.signedInAgents).toBe(0);
    expect(d.intervals[20]!.shortfall).toBe(d.intervals[20]!.requiredReforecast);
    expect(d.alert).not.toBeNull();
    expect(d.alert!.reserveAgents).toBe(Math.max(...d.alert!.intervals.map((i) => i.shortfall)));
    expect(d.alert!.intervals[0]!.start).toBe(`${today}T10:00:00+08:00`);
  });

  it('intraday counts signed-in members of the plan group', async () => {
    await server.services.accounts.repo.updateUser(t.org.id, t.agents[1]!.id, { status: 'online' });
    const at = encodeURIComponent(`${today}T10:15:00+08:00`);
    const view = await api<TIntradayView>(server, 'GET', `/api/workforce/plans/${planId}/intraday?at=${at}`, {
      token: supervisor,
    });
    expect(view.body.signedInAgents).toBe(1);
    const bad = await api<TErrorBody>(
      server,
      'GET',
      `/api/workforce/plans/${planId}/intraday?date=2020-01-01`,
      {
        token: supervisor,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('date');
  });
});
