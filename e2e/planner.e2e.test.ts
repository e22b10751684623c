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
    const planId = page.url().split('/').pop()!;

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
    expect(await page.getByTestId('schedule-status').textContent()).toBe(version.schedule.status);
    await context.close();
  });
});
