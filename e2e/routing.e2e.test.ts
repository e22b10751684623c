import { createHmac } from 'node:crypto';
import { createTestDatabase } from '@peakdesk/db/testing';
import { parseConfig, type RunningServer, startServer } from '@peakdesk/server';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './lib/browser.ts';

/**
 * Surge routing in real Chromium: a VIP buyer jumps the queue, waiting customers see their place and
 * expected wait (live), and an agent who does not reply loses the chat to another agent. The no-reply
 * limit and the timer poll are configured short so this runs in seconds.
 */
let server: RunningServer;
let browser: Browser;
let adminToken: string;

async function rest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

beforeAll(async () => {
  const database = await createTestDatabase();
  const config = parseConfig(
    {
      PEAKDESK_RATE_LIMIT_PER_MINUTE: '100000',
      PEAKDESK_TIMER_POLL_MS: '200',
      PEAKDESK_WALL_INTERVAL_MS: '500',
    },
    { port: 0, host: '127.0.0.1', databaseUrl: database.url },
  );
  server = await startServer(config, { demo: true, database, logger: pino({ level: 'silent' }) });
  browser = await launchBrowser();
  const admin = server.demoLogins.find((l) => l.role === 'admin')!;
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  adminToken = decodeURIComponent(
    /pd_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '',
  );
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signInAgent(email: string, goOnline = true): Promise<Page> {
  const login = server.demoLogins.find((l) => l.email === email)!;
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-email').fill(login.email);
  await page.getByTestId('login-password').fill(login.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('status-switch').waitFor();
  if (!goOnline) return page;
  await page.locator('[data-status-option="online"]').click();
  await expect.poll(() => page.getByTestId('status-switch').getAttribute('data-status')).toBe('online');
  return page;
}

/** A store page with the widget; a VIP is a merchant-signed buyer id on the VIP list. */
async function customer(text: string, vipBuyerId?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (vipBuyerId) {
    // The demo identity secrets are random per install: the admin reads the store's.
    const stores = await rest<{ id: string; name: string; identitySecret: string }[]>('GET', '/api/stores');
    const signature = createHmac('sha256', stores[0]!.identitySecret).update(vipBuyerId).digest('hex');
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body><h1>VIP</h1>
      <script src="/widget.js" data-store="${stores[0]!.id}" data-buyer-id="${vipBuyerId}" data-buyer-signature="${signature}"></script></body></html>`;
    // Written into a page of the server's own origin: a stubbed route would count as a public page
    // and Chromium would block its socket to 127.0.0.1 (local network access checks).
    await page.goto(`${server.url}/health`);
    await page.setContent(html);
  } else await page.goto(`${server.url}/demo`);
  await page.getByTestId('pd-widget-button').click();
  await page.getByTestId('pd-widget-input').fill(text);
  await page.getByTestId('pd-widget-send').click();
  await page
    .locator('[data-testid="pd-widget-message"][data-sender-type="customer"][data-seq]')
    .first()
    .waitFor();
  return page;
}

const banner = (p: Page) => p.getByTestId('pd-widget-banner');
const systemLine = (p: Page, text: string) =>
  p.locator('[data-testid="pd-widget-message"][data-sender-type="system"]', { hasText: text });

describe('surge routing in real Chromium', () => {
  it('VIP jumps the queue, customers see place and wait, a silent agent loses the chat', async () => {
    const [groups, users, stores] = await Promise.all([
      rest<{ groupId: string; name: string }[]>('GET', '/api/routing/groups'),
      rest<{ id: string; email: string }[]>('GET', '/api/users'),
      rest<{ id: string }[]>('GET', '/api/stores'),
    ]);
    const presale = groups.find((g) => g.name === '售前')!;
    const xiaomei = users.find((u) => u.email.startsWith('xiaomei'))!;
    const xiaoya = users.find((u) => u.email.startsWith('xiaoya'))!;
    await rest('PATCH', `/api/users/${xiaomei.id}`, { maxConcurrency: 1 });
    await rest('PATCH', `/api/users/${xiaoya.id}`, { maxConcurrency: 1 });
    // Human-first: this test is about the human queue (the demo stores answer with the bot first).
    await rest('PUT', `/api/stores/${stores[0]!.id}/bot-settings`, { mode: 'human_first' });
    await rest('POST', '/api/routing/rules', {
      storeId: stores[0]!.id,
      name: '双11 VIP 名单',
      conditions: { buyerIds: ['vip-88'] },
      lane: 'vip',
    });

    // 小美 (cap 1) takes the first customer and answers.
    const agentA = await signInAgent(xiaomei.email);
    const c1 = await customer('你好，空调什么时候发货？');
    await agentA.getByTestId('conversation-item').first().waitFor({ timeout: 20_000 });
    await agentA.getByTestId('conversation-item').first().click();
    await agentA.getByTestId('compose-input').fill('亲，预售款11月12日起发货哦～');
    await agentA.getByTestId('compose-send').click();
    await c1.locator('[data-testid="pd-widget-message"][data-sender-type="agent"]').first().waitFor();

    // A normal customer waits: place 1 and an expected wait.
    const c2 = await customer('洗衣机可以保价吗？');
    await expect.poll(() => banner(c2).getAttribute('data-queue-position'), { timeout: 15_000 }).toBe('1');
    expect(await banner(c2).textContent()).toMatch(/第 1 位.*预计等待/);

    // The VIP arrives later but goes first; the normal customer's place moves live.
    const c3 = await customer('我是老客户，订单地址要改一下', 'vip-88');
    await expect.poll(() => banner(c3).getAttribute('data-queue-position'), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => banner(c2).getAttribute('data-queue-position'), { timeout: 15_000 }).toBe('2');

    // The supervisor's wall shows the queue live and alerts when the threshold is crossed.
    await rest('PATCH', `/api/routing/groups/${presale.groupId}`, { alertQueueLength: 2 });
    const supervisor = server.demoLogins.find((l) => l.role === 'supervisor')!;
    const wall = await signInAgent(supervisor.email, false);
    await wall.goto(`${server.url}/wall`);
    await wall.getByTestId('wall-alert').first().waitFor({ timeout: 15_000 });
    expect(await wall.getByTestId('wall-alert').first().textContent()).toContain('售前');
    await wall.getByTestId('wall-queue-chart').locator('canvas').waitFor();

    // From now on an unanswered customer is reassigned after 3 s.
    await rest('PATCH', `/api/routing/groups/${presale.groupId}`, { noReplySeconds: 3 });

    // 小美 resolves her chat: the VIP, not the earlier normal customer, is served next.
    await agentA.getByTestId('resolve-button').click();
    await systemLine(c3, '小美').waitFor({ timeout: 15_000 });
    await expect.poll(() => banner(c2).getAttribute('data-queue-position'), { timeout: 15_000 }).toBe('1');

    // 小美 does not reply: the VIP is taken back and 小雅 (coming online) gets it, not the normal customer.
    await systemLine(c3, '正在为您转接其他客服').waitFor({ timeout: 15_000 });
    const agentB = await signInAgent(xiaoya.email);
    await systemLine(c3, '小雅').waitFor({ timeout: 15_000 });
    const item = agentB.getByTestId('conversation-item').first();
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    await agentB
      .getByTestId('message-list')
      .locator('[data-sender-type="customer"]', { hasText: '我是老客户' })
      .waitFor();
    // 小美 is free again but may not take back the chat she ignored: she serves the next customer.
    await systemLine(c2, '小美').waitFor({ timeout: 15_000 });
  });
});

describe('leave-a-message offered after the max wait', () => {
  it('a waiting customer keeps their place, another reloads, sees the offer again and leaves a message', async () => {
    const [groups, stores] = await Promise.all([
      rest<{ groupId: string; name: string }[]>('GET', '/api/routing/groups'),
      rest<{ id: string }[]>('GET', '/api/stores'),
    ]);
    const aftersale = groups.find((g) => g.name === '售后')!;
    // Nobody of 售后 signs in: its customers wait, and after 2 s they are offered to leave a message.
    await rest('PUT', `/api/stores/${stores[0]!.id}/bot-settings`, { mode: 'human_first' });
    await rest('PATCH', `/api/routing/groups/${aftersale.groupId}`, {
      maxWaitSeconds: 2,
      overflowAction: 'leave_message',
    });
    await rest('POST', '/api/routing/rules', {
      storeId: stores[0]!.id,
      name: '发票问题 → 售后',
      conditions: { keywords: ['发票'] },
      groupId: aftersale.groupId,
    });
    const offer = (p: Page) => p.getByTestId('pd-widget-offer');

    // The first customer chooses 继续等待: the offer goes away for good, the place stays.
    const first = await customer('发票什么时候开？');
    await systemLine(first, '当前咨询人数较多').waitFor({ timeout: 15_000 });
    await offer(first).waitFor({ state: 'visible' });
    await first.getByTestId('pd-widget-keep-waiting').click();
    await offer(first).waitFor({ state: 'hidden' });
    expect(await banner(first).getAttribute('data-queue-position')).toBe('1');

    // The second one is offered too, live, and still after a reload (the offer is stored).
    const second = await customer('发票抬头开错了，要重开');
    await offer(second).waitFor({ state: 'visible', timeout: 15_000 });
    await second.reload();
    await second.getByTestId('pd-widget-button').click();
    await offer(second).waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(() => banner(second).getAttribute('data-queue-position')).toBe('2');
    await first.reload();
    await first.getByTestId('pd-widget-button').click();
    await expect.poll(() => banner(first).getAttribute('data-queue-position')).toBe('1');
    expect(await offer(first).isVisible()).toBe(false);

    // Empty message: said in the form, nothing sent. A contact that is none of phone / e-mail / WeChat:
    // the server's 400 names the field and the form shows it there.
    await second.getByTestId('pd-widget-leave-submit').click();
    expect(await second.getByTestId('pd-widget-leave-message-error').textContent()).toBe('请填写留言内容');
    await second.getByTestId('pd-widget-leave-message').fill('发票抬头请改成：山海科技有限公司，谢谢');
    await second.getByTestId('pd-widget-leave-contact').fill('12ab');
    await second.getByTestId('pd-widget-leave-submit').click();
    await expect
      .poll(() => second.getByTestId('pd-widget-leave-contact-error').textContent())
      .toBe('请填写正确的手机号、邮箱或微信号');
    await second.getByTestId('pd-widget-leave-contact').fill('13800138000');
    await second.getByTestId('pd-widget-leave-submit').click();
    await systemLine(second, '已收到您的留言').waitFor({ timeout: 15_000 });
    await offer(second).waitFor({ state: 'hidden' });
    expect(await banner(second).textContent()).toBe('留言已提交，客服会尽快联系您');
    const left = await rest<{ message: string; contact: string | null }[]>(
      'GET',
      '/api/routing/leave-messages',
    );
    expect(left[0]).toMatchObject({
      message: '发票抬头请改成：山海科技有限公司，谢谢',
      contact: '13800138000',
    });

    // Writing again starts a new conversation, shown in the same widget.
    await second.getByTestId('pd-widget-input').fill('另外，发票能寄纸质的吗？');
    await second.getByTestId('pd-widget-send').click();
    await second
      .locator('[data-testid="pd-widget-message"][data-sender-type="customer"][data-seq]', {
        hasText: '纸质',
      })
      .waitFor({ timeout: 15_000 });
  });
});

describe('routing configuration in the admin UI', () => {
  it('edits a group and shows the server validation error next to the field it names', async () => {
    const admin = server.demoLogins.find((l) => l.role === 'admin')!;
    const page = await signInAgent(admin.email, false);
    await page.goto(`${server.url}/admin/routing`);
    await page.getByTestId('routing-group-edit').first().click();
    await page.getByTestId('routing-overflow-action').click();
    await page.locator('.ant-select-item-option[title="溢出到预备队"]').click();
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    // No reserve group chosen: the API answers 400 with field overflowGroupId, shown under that field,
    // in Chinese.
    await page
      .locator('.ant-form-item-explain-error', { hasText: '请选择另一个技能组作为预备队' })
      .waitFor({ timeout: 10_000 });
  });
});
