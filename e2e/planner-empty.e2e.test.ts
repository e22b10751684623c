import type { TPlanDetail, TPlanVersion } from '@peakdesk/contracts';
import { hashPassword } from '@peakdesk/server';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const demo = useDemoServer();
const PASSWORD = 'empty-org-password-1';

/** A brand-new merchant: one store, one group, a supervisor and three agents — no history, no plans. */
async function createEmptyOrganization() {
  const repo = demo.server.services.accounts.repo;
  const org = await repo.createOrganization('新开店铺');
  const group = await repo.createGroup({ orgId: org.id, name: '售前', defaultMaxConcurrency: 3 });
  const store = await repo.createStore({
    orgId: org.id,
    name: '新开旗舰店',
    platform: 'tmall',
    defaultGroupId: group.id,
    identitySecret: 'empty-org-secret',
  });
  const passwordHash = await hashPassword(PASSWORD);
  const supervisor = await repo.createUser(
    { orgId: org.id, email: 'lead@empty.test', name: '主管', role: 'supervisor', passwordHash },
    [store.id],
    [group.id],
  );
  for (let i = 1; i <= 3; i++)
    await repo.createUser(
      { orgId: org.id, email: `agent${i}@empty.test`, name: `客服${i}`, role: 'agent', passwordHash },
      [store.id],
      [group.id],
    );
  return { supervisor };
}

describe('planner from an empty organisation, in real Chromium', () => {
  it('guides to the seed formula, builds the default Double 11 plan and publishes it, using only the page', async () => {
    const { supervisor } = await createEmptyOrganization();
    const page = await demo.newPage();
    await signIn(page, demo.server.url, supervisor.email, PASSWORD);
    await page.goto(`${demo.server.url}/planner`);

    // No history: the page says how to start, in Chinese, and offers both ways.
    const empty = page.getByTestId('planner-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('种子公式');
    await page.getByTestId('empty-use-seed').click();
    // The default date is the next 11.11, kept as it is.
    expect(await page.getByTestId('plan-date').inputValue()).toMatch(/^\d{4}-11-11$/);
    await page.getByTestId('seed-daily-average').fill('1800');
    await page.getByTestId('seed-ratio').fill('3.2');
    await page.getByTestId('plan-create').click();
    await page.waitForURL(/\/planner\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    const planId = page.url().split('/').pop()!;

    // The page says where the forecast came from and how far to trust it.
    const note = page.getByTestId('forecast-basis');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toContain('种子公式');
    expect(await note.textContent()).toContain('1800');
    await page.getByTestId('coverage-row').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('coverage-row').count()).toBe(48);

    await page.getByTestId('plan-publish').click();
    await expect
      .poll(async () => {
        const res = await page.request.get(`${demo.server.url}/api/workforce/plans/${planId}`);
        return ((await res.json()) as TPlanDetail).publishedVersion;
      })
      .toBe(1);
    const v = (await (
      await page.request.get(`${demo.server.url}/api/workforce/plans/${planId}/versions/1`)
    ).json()) as TPlanVersion;
    expect(v.forecastBasis).toMatchObject({ kind: 'seed', dailyAverage: 1800, ratio: 3.2 });
    expect(v.forecastTotal).toBeCloseTo(1800 * 3.2, 0);
    expect(v.schedule.shifts.length).toBeGreaterThan(0);
  });
});
