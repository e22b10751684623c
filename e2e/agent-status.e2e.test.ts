import { createTestDatabase } from '@peakdesk/db/testing';
import { parseConfig, startServer } from '@peakdesk/server';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

// A short grace period, so "the agent closed the laptop" (no socket anywhere → away) takes seconds.
const fx = useDemoServer(async () => {
  const database = await createTestDatabase();
  const config = parseConfig(
    { PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000', PEAKDESK_AGENT_GRACE_SECONDS: '1' },
    { port: 0, host: '127.0.0.1', databaseUrl: database.url },
  );
  return startServer(config, { demo: true, database, logger: pino({ level: 'silent' }) });
});

describe('an agent status survives a reload and a new sign-in, in real Chromium', () => {
  it('the chosen status (在线 / 挂起) is what the switch shows after a reload and after coming back', async () => {
    const agent = fx.server.demoLogins.find((l) => l.email.startsWith('xiaomei'))!;
    const page = await fx.newPage();
    await signIn(page, fx.server.url, agent.email, agent.password);
    const status = () => page.getByTestId('status-switch').getAttribute('data-status');
    // A new agent starts offline; the workspace says that no chats come, with the button to start.
    expect(await status()).toBe('offline');
    await page.getByTestId('not-receiving').waitFor();
    await page.getByTestId('go-online').click();
    await expect.poll(status).toBe('online');
    await page.getByTestId('not-receiving').waitFor({ state: 'detached' });

    await page.reload();
    await page.getByTestId('status-switch').waitFor();
    expect(await status()).toBe('online');

    await page.locator('[data-status-option="paused"]').click();
    await expect.poll(status).toBe('paused');
    await page.reload();
    await page.getByTestId('status-switch').waitFor();
    expect(await status()).toBe('paused');

    // The tab closed for longer than the grace period: the router marks the agent away. Back the next
    // morning, the agent finds the status they chose, not 离开 or 离线.
    await page.locator('[data-status-option="online"]').click();
    await expect.poll(status).toBe('online');
    await page.context().close();
    await new Promise((r) => setTimeout(r, 3_500));
    const again = await fx.newPage();
    await signIn(again, fx.server.url, agent.email, agent.password);
    await expect.poll(() => again.getByTestId('status-switch').getAttribute('data-status')).toBe('online');
    await again.context().close();
  });

  it('the wall alerts a group with a waiting customer and nobody online, and shows the wait in 分秒', async () => {
    const admin = fx.server.demoLogins.find((l) => l.role === 'admin')!;
    const page = await fx.newPage();
    await signIn(page, fx.server.url, admin.email, admin.password);
    const stores = (await (await page.request.get(`${fx.server.url}/api/stores`)).json()) as { id: string }[];
    await page.request.put(`${fx.server.url}/api/stores/${stores[0]!.id}/bot-settings`, {
      data: { mode: 'human_first' },
    });
    // The agent of the test above has had no tab open for longer than the grace period: nobody is online.
    await new Promise((r) => setTimeout(r, 2_500));
    const customer = await fx.newPage();
    await customer.goto(`${fx.server.url}/demo`);
    await customer.getByTestId('pd-widget-button').click();
    await customer.getByTestId('pd-widget-input').fill('有人在吗？');
    await customer.getByTestId('pd-widget-send').click();

    await page.goto(`${fx.server.url}/wall`);
    const alert = page.locator('[data-testid="wall-alert"][data-alert="no_agents"]');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('没有客服在线');
    const wait = page.getByTestId('wall-group').first().locator('.ant-statistic').nth(1);
    await expect
      .poll(() => wait.locator('.ant-statistic-content').textContent())
      .toMatch(/^\d+秒$|^\d+分\d{2}秒$/);
    await customer.context().close();
    await page.context().close();
  });
});
