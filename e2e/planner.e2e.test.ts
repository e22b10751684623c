import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TPlanVersion } from '@peakdesk/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './lib/browser.ts';
import { startDemoServer } from './lib/demo-server.ts';

type Server = Awaited<ReturnType<typeof startDemoServer>>;
let server: Server;
let browser: Browser;
/** The plan the first test builds; the second edits it. */
let planId = '';

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Three weeks of half-hourly arrivals before Double 11 with the seed's four daily peaks. */
function historyCsv(): string {
  const lines = ['timestamp,count'];
  const end = Date.parse('2025-11-11T00:00:00Z');
  for (let slot = 21 * 48; slot > 0; slot--) {
    const wall = new Date(end - slot * 1_800_000);
    const hour = wall.getUTCHours();
    const count =
      hour < 2 ? 15 : hour < 8 ? 2 : hour < 10 ? 30 : hour < 15 ? 20 : hour < 17 ? 30 : hour < 20 ? 20 : 35;
    lines.push(`${wall.toISOString().slice(0, 19)}+08:00,${count}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('planner in real Chromium', () => {
  it('imports history, builds a promotion-day plan and shows coverage against requirement', async () => {
    const login = server.demoLogins.find((l) => l.role === 'supervisor')!;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(login.email);
    await page.getByTestId('login-password').fill(login.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor();

    await page.goto(`${server.url}/planner`);
    const file = join(mkdtempSync(join(tmpdir(), 'pd-planner-')), 'double11-history.csv');
    writeFileSync(file, historyCsv());
    // The upload button wraps a hidden file input: choose the file as a user would.
    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByTestId('history-table').getByText('double11-history.csv').first().waitFor();

    await page.getByTestId('plan-date').fill('2025-11-11');
    await page.getByTestId('plan-uplift').fill('3');
    await page.getByTestId('plan-create').click();
    await page.waitForURL(/\/planner\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    planId = page.url().split('/').pop()!;

    const rows = page.getByTestId('coverage-row');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(48);
    // Both charts were drawn.
    await page.getByTestId('volume-chart').locator('canvas').first().waitFor();
    await page.getByTestId('coverage-chart').locator('canvas').first().waitFor();

    const res = await page.request.get(`${server.url}/api/workforce/plans/${planId}/versions/1`);
    expect(res.status()).toBe(200);
    const version = (await res.json()) as TPlanVersion;
    expect(version.intervals).toHaveLength(48);
    expect(version.peakRequired).toBeGreaterThan(0);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        start: tr.getAttribute('data-start'),
        required: Number(tr.querySelector('[data-testid="cell-required"]')?.textContent),
        scheduled: Number(tr.querySelector('[data-testid="cell-scheduled"]')?.textContent),
      })),
    );
    expect(shown).toEqual(
      version.intervals.map((i) => ({ start: i.start, required: i.required, scheduled: i.scheduled })),
    );
    for (const row of shown) expect(row.scheduled).toBeGreaterThanOrEqual(row.required);
    expect(await page.getByTestId('schedule-status').getAttribute('data-status')).toBe(
      version.schedule.status,
    );
    // The roster's gap for the reserve team: the people still needed and the short windows, as stored.
    const gap = page.getByTestId('roster-gap');
    await gap.waitFor();
    if (version.roster.gap.windows.length > 0) {
      expect(await gap.getAttribute('data-people')).toBe(String(version.roster.gap.people));
      expect(await gap.textContent()).toContain(`还需 ${version.roster.gap.people} 人`);
      const gapRows = page.getByTestId('roster-gap-row');
      expect(await gapRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-start')))).toEqual(
        version.roster.gap.windows.map((w) => w.start),
      );
    } else expect(await gap.textContent()).toContain('无需预备队');
    // The page has a favicon, served by the server.
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
    expect((await page.request.get(`${server.url}/favicon.svg`)).status()).toBe(200);
    await context.close();
  });

  it('edits a break window, a max count and a peak, re-schedules and shows the changed schedule', async () => {
    expect(planId).not.toBe('');
    const login = server.demoLogins.find((l) => l.role === 'supervisor')!;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(login.email);
    await page.getByTestId('login-password').fill(login.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-menu').waitFor();
    const getVersion = async (v: number) => {
      const res = await page.request.get(`${server.url}/api/workforce/plans/${planId}/versions/${v}`);
      expect(res.status()).toBe(200);
      return (await res.json()) as TPlanVersion;
    };
    const v1 = await getVersion(1);
    const earlyCount = (v: TPlanVersion) =>
      v.schedule.shifts.filter((s) => s.type === '早班').reduce((n, s) => n + s.count, 0);
    // The morning peak needs more than two early shifts in the template's plan.
    expect(earlyCount(v1)).toBeGreaterThan(2);

    await page.goto(`${server.url}/planner/${planId}`);
    await page.getByTestId('shift-type-0').waitFor();
    expect(await page.getByTestId('shift-0-name').inputValue()).toBe('早班');
    expect(await page.getByTestId('shift-0-break-0-earliest').inputValue()).toBe('240');

    // A break starting 600 min into the 540-min shift: the API refuses it and the page shows the
    // API's error under that very input, and no version is saved.
    const latestPath = 'shifts.shiftTypes.0.breaks.0.latestAfterStartMinutes';
    await page.getByTestId('shift-0-break-0-latest').fill('600');
    await page.getByTestId('plan-save-version').click();
    const latestField = page.locator(`div[data-field="${latestPath}"]`);
    await latestField.getByTestId('field-error').waitFor();
    expect(await latestField.getByTestId('field-error').textContent()).toBe(
      '休息最晚开始不能早于最早开始，且休息须在班次结束前结束',
    );
    expect(await latestField.getByTestId('shift-0-break-0-latest').count()).toBe(1);
    const detail = await page.request.get(`${server.url}/api/workforce/plans/${planId}`);
    expect(((await detail.json()) as { latestVersion: number }).latestVersion).toBe(1);

    // The break exactly 3 h in, at most two early shifts, the first peak 00–01; editing clears the error.
    await page.getByTestId('shift-0-break-0-earliest').fill('180');
    await page.getByTestId('shift-0-break-0-latest').fill('180');
    await expect.poll(() => page.getByTestId('field-error').count()).toBe(0);
    await page.getByTestId('shift-0-maxCount').fill('2');
    await page.getByTestId('peak-0-end').fill('01:00');
    await page.getByTestId('plan-save-version').click();
    await page.waitForURL(/[?&]v=2/, { timeout: 60_000 });

    const v2 = await getVersion(2);
    expect(v2.settings.shifts.shiftTypes[0]).toMatchObject({
      name: '早班',
      maxCount: 2,
      breaks: [{ lengthMinutes: 60, earliestAfterStartMinutes: 180, latestAfterStartMinutes: 180 }],
    });
    expect(v2.settings.peakWindows[0]).toEqual({ start: '00:00', end: '01:00' });
    await expect
      .poll(() => page.getByTestId('schedule-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe(v2.schedule.status);

    // The page shows the new schedule, and it changed as edited: two early shifts, breaks 3 h in.
    const rows = page.getByTestId('shift-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(v2.schedule.shifts.length);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        type: tr.getAttribute('data-type'),
        start: tr.getAttribute('data-start'),
        count: Number(tr.getAttribute('data-count')),
        breaks: tr.querySelector('[data-testid="cell-breaks"]')?.textContent,
      })),
    );
    const clock = (iso: string) => iso.slice(11, 16);
    expect(shown).toEqual(
      v2.schedule.shifts.map((s) => ({
        type: s.type,
        start: s.start,
        count: s.count,
        breaks: s.breaks.map((b) => `${clock(b.start)}–${clock(b.end)}`).join(', '),
      })),
    );
    const early = shown.filter((r) => r.type === '早班');
    expect(early.reduce((n, r) => n + r.count, 0)).toBe(2);
    for (const r of early) {
      const hour = Number(r.start!.slice(11, 13)) + 3;
      expect(r.breaks).toBe(`${String(hour).padStart(2, '0')}:00–${String(hour + 1).padStart(2, '0')}:00`);
    }
    // Two early shifts cannot cover the morning peak: the plan says so and the coverage shows where.
    expect(v2.schedule.status).toBe('understaffed');
    await page.getByTestId('schedule-alert').waitFor();
    const coverage = await page.getByTestId('coverage-row').evaluateAll((trs) =>
      trs.map((tr) => ({
        start: tr.getAttribute('data-start'),
        scheduled: Number(tr.querySelector('[data-testid="cell-scheduled"]')?.textContent),
      })),
    );
    expect(coverage).toEqual(v2.intervals.map((i) => ({ start: i.start, scheduled: i.scheduled })));
    const midday = coverage.filter((c) => c.start! >= '2025-11-11T10:00' && c.start! < '2025-11-11T14:00');
    expect(midday).toHaveLength(8);
    expect(Math.max(...midday.map((c) => c.scheduled))).toBeLessThanOrEqual(2);
    expect(
      Math.max(
        ...v1.intervals.filter((i) => midday.some((c) => c.start === i.start)).map((i) => i.scheduled),
      ),
    ).toBeGreaterThan(2);
    await context.close();
  });
});
