import type { TLeaveMessage } from '@peakdesk/contracts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

/**
 * Leave-a-message after hours in real Chromium: the customer is told the store is outside its service
 * hours and leaves a message in the widget; the supervisor sees it on the wall and on the 留言 page
 * (the customer's text as text, with the transcript) and marks it handled.
 */
const demo = useDemoServer();

async function adminToken(): Promise<string> {
  const admin = demo.server.demoLogins.find((l) => l.role === 'admin')!;
  const login = await fetch(`${demo.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  return decodeURIComponent(/pd_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '');
}

async function rest<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${demo.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

const systemLine = (p: Page, text: string) =>
  p.locator('[data-testid="pd-widget-message"][data-sender-type="system"]', { hasText: text });

describe('leave-a-message after hours, handled by a supervisor', () => {
  it('the customer leaves a message in the widget; the supervisor sees it on the wall and the 留言 page and marks it handled', async () => {
    const token = await adminToken();
    const stores = await rest<{ id: string; defaultGroupId: string | null }[]>(token, 'GET', '/api/stores');
    const store = stores[0]!;
    // The demo comes with a few left messages of its own; this test adds one.
    const seeded = (await rest<TLeaveMessage[]>(token, 'GET', '/api/routing/leave-messages')).length;
    // Human-first (the demo stores answer with the bot first); the store's group is open Monday to
    // Friday only and closed today (a holiday), with leave-a-message after hours.
    await rest(token, 'PUT', `/api/stores/${store.id}/bot-settings`, { mode: 'human_first' });
    const nine = [{ start: '09:00', end: '18:00' }];
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await rest(token, 'PATCH', `/api/routing/groups/${store.defaultGroupId}`, {
      businessHours: {
        weekly: { '1': nine, '2': nine, '3': nine, '4': nine, '5': nine },
        holidays: [today],
        specialDays: [],
      },
      afterHoursAction: 'leave_message',
    });

    // The customer writes: told the hours, offered the form without 继续等待.
    const customer = await demo.newPage();
    await customer.goto(`${demo.server.url}/demo`);
    await customer.getByTestId('pd-widget-button').click();
    await customer.getByTestId('pd-widget-input').fill('你好，我想改一下收货地址');
    await customer.getByTestId('pd-widget-send').click();
    await systemLine(customer, '现在是非服务时间（服务时间：周一至周五 09:00-18:00）').waitFor({
      timeout: 15_000,
    });
    const offer = customer.getByTestId('pd-widget-offer');
    await offer.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await customer.getByTestId('pd-widget-keep-waiting').isVisible()).toBe(false);
    await expect
      .poll(() => customer.getByTestId('pd-widget-banner').textContent())
      .toBe('现在是非服务时间（服务时间：周一至周五 09:00-18:00），您可以留言');
    // Writing again stays in the same conversation: nothing recorded yet.
    await customer.getByTestId('pd-widget-input').fill('有人吗？');
    await customer.getByTestId('pd-widget-send').click();
    await customer
      .locator('[data-testid="pd-widget-message"][data-sender-type="customer"][data-seq]', {
        hasText: '有人吗',
      })
      .waitFor({ timeout: 15_000 });
    expect(await rest<TLeaveMessage[]>(token, 'GET', '/api/routing/leave-messages')).toHaveLength(seeded);

    const text = '<b>加急</b> 收货地址改成：杭州市西湖区文三路 1 号';
    await customer.getByTestId('pd-widget-leave-message').fill(text);
    await customer.getByTestId('pd-widget-leave-contact').fill('13800138000');
    await customer.getByTestId('pd-widget-leave-submit').click();
    await systemLine(customer, '已收到您的留言').waitFor({ timeout: 15_000 });
    await offer.waitFor({ state: 'hidden' });

    // The supervisor: the wall counts one open left message and links to the 留言 page.
    const sup = demo.server.demoLogins.find((l) => l.role === 'supervisor')!;
    const page = await demo.newPage();
    await signIn(page, demo.server.url, sup.email, sup.password);
    await page.goto(`${demo.server.url}/wall`);
    const count = page.getByTestId('wall-open-leave-messages');
    await expect
      .poll(() => count.locator('.ant-statistic-content-value').textContent(), { timeout: 15_000 })
      .toBe(String(seeded + 1));
    await count.click();
    await page.getByTestId('leave-messages-page').waitFor();
    const row = page.getByTestId('leave-message-row').filter({ hasText: '加急' });
    await row.waitFor({ timeout: 15_000 });
    // The customer's text as text: the tags are shown, no <b> element is made.
    expect(await row.getByTestId('leave-message-text').textContent()).toBe(text);
    expect(await row.getByTestId('leave-message-text').locator('b').count()).toBe(0);
    expect(await row.getByTestId('leave-message-contact').textContent()).toBe('13800138000');
    expect(await row.textContent()).toContain('非服务时间');
    // The transcript: what the customer wrote before leaving the message.
    await row.locator('.ant-table-row-expand-icon').click();
    const transcript = page.getByTestId('leave-message-transcript');
    await transcript.locator('[data-sender-type="customer"]', { hasText: '我想改一下收货地址' }).waitFor();
    await transcript.locator('[data-sender-type="customer"]', { hasText: '有人吗' }).waitFor();

    // Mark handled: gone from the open list, handled by 陈主管 in the API, the wall count drops.
    await row.getByTestId('leave-message-handle').click();
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    const handled = (await rest<TLeaveMessage[]>(token, 'GET', '/api/routing/leave-messages')).find(
      (l) => l.message === text,
    );
    expect(handled).toMatchObject({
      status: 'handled',
      message: text,
      contact: '13800138000',
      handledByName: '陈主管',
    });
    await page.getByText('全部').click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('leave-message-row')
            .filter({ hasText: '加急' })
            .getByTestId('leave-message-status')
            .textContent(),
        { timeout: 15_000 },
      )
      .toBe('已处理');
    await page.goto(`${demo.server.url}/wall`);
    await expect
      .poll(
        () =>
          page.getByTestId('wall-open-leave-messages').locator('.ant-statistic-content-value').textContent(),
        {
          timeout: 15_000,
        },
      )
      .toBe(String(seeded));
  });
});
