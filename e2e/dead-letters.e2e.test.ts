import { queryRows, sql } from '@peakdesk/db';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

/**
 * The 死信 page in real Chromium: a dead delivery of a test-only durable listener (seeded as the
 * outbox leaves one after the last failed attempt) shows in the backlog and the list, with its last
 * error as text; Replay hands it to the listener once, and the list is empty afterwards.
 */
const fx = useDemoServer();

const HOSTILE_ERROR = '<img src=x onerror="window.__deadLetterXss=1"> CRM 接口超时';

describe('dead letters page', () => {
  it('an admin sees a dead letter with its error as text, replays it, and it is handled once and gone', async () => {
    const handled: number[] = [];
    // Test-only listener: refuses every live event, so its only delivery is the one seeded below.
    fx.server.services.outbox.listen({
      name: 'e2e.probe',
      events: ['agent.status_changed'],
      accepts: () => false,
      async handle(e, ctx) {
        await ctx.once(async () => {
          handled.push(e.id);
        });
      },
    });
    const admin = fx.server.demoLogins.find((l) => l.role === 'admin')!;
    const [user] = await queryRows<{ id: string; org_id: string }>(
      fx.server.db.db,
      sql`SELECT id, org_id FROM users WHERE email = ${admin.email}`,
    );
    const eventId = 424242;
    await fx.server.db.db.execute(
      sql`INSERT INTO outbox_deliveries (listener, event_id, org_id, name, version, payload, created_at, status,
            attempts, last_error, dead_at)
          VALUES ('e2e.probe', ${eventId}, ${user!.org_id}, 'agent.status_changed', 1,
            ${JSON.stringify({ orgId: user!.org_id, userId: user!.id, status: 'online' })}::jsonb,
            now() - interval '5 minutes', 'dead', 5, ${HOSTILE_ERROR}, now())`,
    );

    const page = await fx.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await signIn(page, fx.server.url, admin.email, admin.password);
    consoleErrors.length = 0; // the page under test, not the sign-in
    await page.getByRole('menuitem', { name: '死信' }).click();
    await page.waitForURL('**/admin/dead-letters');
    await page.getByRole('heading', { name: '死信', level: 4 }).waitFor();

    // Backlog: the probe listener with one dead delivery; the real listeners are listed too.
    const backlogRow = page
      .getByTestId('dead-letter-backlog')
      .locator('.ant-table-row', { hasText: 'e2e.probe' });
    await backlogRow.waitFor();
    expect((await backlogRow.locator('td').allTextContents()).slice(2)).toEqual(['—', '0', '1']);
    await page
      .getByTestId('dead-letter-backlog')
      .locator('.ant-table-row', { hasText: 'bot.turn' })
      .filter({ hasText: '机器人应答' })
      .waitFor();

    // The dead item: listener, event (label and code), attempts, the error as text, never as HTML.
    const row = page.getByTestId('dead-letter-list').locator('.ant-table-row', { hasText: 'e2e.probe' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('事件监听器');
    expect(text).toContain('客服状态变化');
    expect(text).toContain('agent.status_changed');
    expect(await row.locator('td').nth(3).textContent()).toBe('5');
    expect(await row.getByTestId('dead-letter-error').textContent()).toContain(HOSTILE_ERROR);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(
      await page.evaluate(() => (window as { __deadLetterXss?: number }).__deadLetterXss),
    ).toBeUndefined();

    await row.getByTestId('dead-letter-replay').click();
    await page.getByText('已重放').waitFor();
    await page.getByTestId('dead-letter-empty').waitFor();
    expect(await page.getByTestId('dead-letter-list').locator('.ant-table-row').count()).toBe(0);
    await expect.poll(() => handled).toEqual([eventId]);
    await expect
      .poll(async () => (await backlogRow.locator('td').allTextContents()).slice(2))
      .toEqual(['—', '0', '0']);
    // A second look at the database: the delivery is gone, its processed marker stays.
    const left = await queryRows<{ n: number }>(
      fx.server.db.db,
      sql`SELECT count(*)::int AS n FROM outbox_deliveries WHERE listener = 'e2e.probe'`,
    );
    expect(left[0]?.n).toBe(0);
    await fx.server.services.outbox.drain();
    expect(handled).toEqual([eventId]);

    // The English page says the same.
    await page.evaluate(() => localStorage.setItem('peakdesk.lang', 'en'));
    await page.reload();
    await page.getByRole('heading', { name: 'Dead letters', level: 4 }).waitFor();
    await page.getByText('No dead letters: every event and job was handled').waitFor();
    // Every sidebar label fits without an ellipsis, in English too ("Routing & queues" was cut).
    const cut = await page
      .locator('.pd-shell__sider .ant-menu-title-content')
      .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent));
    expect(cut).toEqual([]);
    expect(await page.locator('.pd-shell__sider .ant-menu-title-content').allTextContents()).toContain(
      'Routing & queues',
    );
    expect(consoleErrors).toEqual([]);
  });
});
