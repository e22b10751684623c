import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const fx = useDemoServer();

const signInAgent = (page: Page, email: string, password: string) =>
  signIn(page, fx.server.url, email, password, { online: true });

describe('live chat in real Chromium', () => {
  it('customer asks in the widget, agent answers in the workspace, customer sees the reply', async () => {
    const agentLogin = fx.server.demoLogins.find((l) => l.email.startsWith('xiaomei'))!;
    const agentPage = await fx.newPage();
    await signInAgent(agentPage, agentLogin.email, agentLogin.password);

    // This test is about the human path, so the demo store answers with a person first (the bot
    // test covers bot-first stores and 转人工).
    const admin = fx.server.demoLogins.find((l) => l.role === 'admin')!;
    const login = await fetch(`${fx.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const stores = (await (await fetch(`${fx.server.url}/api/stores`, { headers: { cookie } })).json()) as {
      id: string;
    }[];
    const modeSet = await fetch(`${fx.server.url}/api/stores/${stores[0]!.id}/bot-settings`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'human_first' }),
    });
    expect(modeSet.status).toBe(200);

    const customerPage = await fx.newPage();
    // A slow network: the widget's session request takes 1.5 s, and the buyer writes before it is back.
    await customerPage.route('**/api/widget/session', async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await customerPage.goto(`${fx.server.url}/demo`);
    await customerPage.getByTestId('pd-widget-button').click();
    const question = '你好，我的订单什么时候发货？';
    await customerPage.getByTestId('pd-widget-input').fill(question);
    await customerPage.getByTestId('pd-widget-send').click();
    // Shown at once as "sending", then stored (it gets a seq) once the connection is up.
    await customerPage
      .locator('[data-testid="pd-widget-message"][data-sender-type="customer"][data-pending="true"]')
      .waitFor();
    await customerPage
      .locator('[data-testid="pd-widget-message"][data-sender-type="customer"][data-seq]', {
        hasText: question,
      })
      .waitFor({ timeout: 15_000 });

    // The agent (the only one online) is assigned the conversation and sees the question.
    const item = agentPage.getByTestId('conversation-item').first();
    await item.waitFor({ timeout: 20_000 });
    await item.click();
    await agentPage
      .getByTestId('message-list')
      .locator('[data-sender-type="customer"]', { hasText: question })
      .waitFor();

    const answer = '亲，现货订单48小时内发货，预售按页面时间发货哦～';
    await agentPage.getByTestId('compose-input').fill(answer);
    await agentPage.getByTestId('compose-send').click();

    const reply = customerPage.locator('[data-testid="pd-widget-message"][data-sender-type="agent"]', {
      hasText: answer,
    });
    await reply.waitFor({ timeout: 15_000 });
    expect(await reply.textContent()).toContain(answer);

    // A 20,000-character paste is neither cut nor sent, on either side: a counter says why, the text stays.
    const paste = '长'.repeat(20_000);
    const customerRows = customerPage.locator(
      '[data-testid="pd-widget-message"][data-sender-type="customer"]',
    );
    const sentBefore = await customerRows.count();
    await customerPage.getByTestId('pd-widget-input').fill(paste);
    expect(await customerPage.getByTestId('pd-widget-counter').textContent()).toContain('20000 / 2000');
    await customerPage.getByTestId('pd-widget-send').click();
    expect(await customerPage.getByTestId('pd-widget-counter').textContent()).toContain('最多 2000 字');
    expect((await customerPage.getByTestId('pd-widget-input').inputValue()).length).toBe(20_000);
    expect(await customerRows.count()).toBe(sentBefore);

    const agentRows = agentPage.getByTestId('message-list').locator('[data-sender-type="agent"]');
    const repliedBefore = await agentRows.count();
    await agentPage.getByTestId('compose-input').fill(paste);
    expect(await agentPage.getByTestId('compose-counter').textContent()).toContain('20000 / 2000');
    await agentPage.getByTestId('compose-send').click();
    await agentPage.locator('.ant-message', { hasText: '最多 2000 字' }).waitFor();
    expect((await agentPage.getByTestId('compose-input').inputValue()).length).toBe(20_000);
    expect(await agentPage.getByTestId('pending-message').count()).toBe(0);
    expect(await agentRows.count()).toBe(repliedBefore);
  });

  it('script-carrying customer text is shown as inert text on both sides', async () => {
    const agentLogin = fx.server.demoLogins.find((l) => l.email.startsWith('xiaoya'))!;
    const agentPage = await fx.newPage();
    await signInAgent(agentPage, agentLogin.email, agentLogin.password);
    let dialogs = 0;
    agentPage.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });

    const customerPage = await fx.newPage();
    customerPage.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await customerPage.goto(`${fx.server.url}/demo`);
    await customerPage.getByTestId('pd-widget-button').click();
    const evil = '转人工<img src=x onerror="alert(1)"><script>alert(2)</script><b>加粗</b>';
    await customerPage.getByTestId('pd-widget-input').fill(evil);
    await customerPage.getByTestId('pd-widget-send').click();

    const mine = customerPage.locator(
      '[data-testid="pd-widget-message"][data-sender-type="customer"][data-seq]',
    );
    await mine.first().waitFor();
    expect(await mine.first().textContent()).toContain(evil);
    expect(
      await customerPage
        .locator('#peakdesk-widget')
        .evaluate((h) => h.shadowRoot?.querySelectorAll('.list img, .list b, .list script').length),
    ).toBe(0);

    const item = agentPage.getByTestId('conversation-item').first();
    await item.waitFor({ timeout: 20_000 });
    await item.click();
    const shown = agentPage.getByTestId('message-list').locator('[data-sender-type="customer"]').first();
    await shown.waitFor();
    expect(await shown.textContent()).toContain(evil);
    expect(await agentPage.getByTestId('message-list').locator('img[src="x"], script, b').count()).toBe(0);
    await agentPage.waitForTimeout(300);
    expect(dialogs).toBe(0);
  });
});
