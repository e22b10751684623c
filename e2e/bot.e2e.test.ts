import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const fx = useDemoServer();

const signInAgent = (page: Page, email: string, password: string) =>
  signIn(page, fx.server.url, email, password, { online: true });

describe('FAQ bot in real Chromium', () => {
  it('answers 亲，保价吗 from the FAQ, then 转人工 lands in the workspace with the transcript', async () => {
    const agentLogin = fx.server.demoLogins.find((l) => l.email.startsWith('xiaomei'))!;
    const agentPage = await fx.newPage();
    await signInAgent(agentPage, agentLogin.email, agentLogin.password);

    const customerPage = await fx.newPage();
    await customerPage.goto(`${fx.server.url}/demo`);
    await customerPage.getByTestId('pd-widget-button').click();
    await customerPage.getByTestId('pd-widget-input').fill('亲，保价吗');
    await customerPage.getByTestId('pd-widget-send').click();

    const botAnswer = customerPage
      .locator('[data-testid="pd-widget-message"][data-sender-type="bot"]')
      .first();
    await botAnswer.waitFor({ timeout: 15_000 });
    const answerText = (await botAnswer.textContent()) ?? '';
    expect(answerText).toContain('价保');
    // The bot answered; no agent was involved yet.
    expect(await agentPage.getByTestId('conversation-item').count()).toBe(0);
    // Answered means seen: the question is not left 未读. A new chat has nothing earlier to load.
    const question = customerPage.locator('[data-testid="pd-widget-message"][data-sender-type="customer"]', {
      hasText: '亲，保价吗',
    });
    await expect.poll(() => question.locator('.meta').textContent()).toBe('已读');
    expect(await customerPage.getByTestId('pd-widget-older').isVisible()).toBe(false);

    await customerPage.getByTestId('pd-widget-input').fill('转人工');
    await customerPage.getByTestId('pd-widget-send').click();

    const item = agentPage.getByTestId('conversation-item').first();
    await item.waitFor({ timeout: 20_000 });
    await item.click();
    const list = agentPage.getByTestId('message-list');
    await list.locator('[data-sender-type="customer"]', { hasText: '亲，保价吗' }).waitFor();
    await list.locator('[data-sender-type="bot"]', { hasText: '价保' }).first().waitFor();
    await list.locator('[data-sender-type="customer"]', { hasText: '转人工' }).waitFor();
    // The detected topic travels with the hand-off.
    await expect
      .poll(() => agentPage.getByTestId('bot-handoff').textContent(), { timeout: 10_000 })
      .toContain('保价');
    // The bot is named once (not 机器人 机器人), and assist suggests for the recognised topic although
    // the latest message (转人工) matches no FAQ.
    const botSender = list.locator('[data-sender-type="bot"]').first().getByTestId('message-sender');
    expect((await botSender.textContent())?.match(/机器人/g)).toHaveLength(1);
    await expect
      .poll(() => agentPage.getByTestId('assist-item').first().textContent(), { timeout: 10_000 })
      .toContain('保价');
  });
});
