import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const fx = useDemoServer();

/** The open dialog with this title (antd labels a modal by its title). */
const dialog = (page: Page, title: string) => page.getByRole('dialog', { name: title });
/** The input of a form item, by its label (antd's number inputs are not tied to their label). */
const field = (page: Page, title: string, label: string) =>
  dialog(page, title)
    .locator('.ant-form-item', { has: page.locator(`label[title="${label}"]`) })
    .locator('input')
    .first();
/** Saves the dialog and waits until it has closed, so the next step starts from the list. */
async function save(page: Page, title: string) {
  await dialog(page, title).locator('.ant-modal-footer .ant-btn-primary').click();
  await dialog(page, title).waitFor({ state: 'hidden' });
}
const rowOf = (page: Page, text: string) => page.locator('.ant-table-row', { hasText: text });
// antd puts a space between the two characters of a two-character Chinese button label (编 辑).
const EDIT = /^编\s*辑$/;

describe('merchant administration in real Chromium', () => {
  it('an admin creates and edits a skill group, then adds an agent to it; a taken email is named next to its field', async () => {
    const admin = fx.server.demoLogins.find((l) => l.role === 'admin')!;
    const page = await fx.newPage();
    await signIn(page, fx.server.url, admin.email, admin.password);

    // A new group for the promotion's reserve agents (预备队).
    await page.goto(`${fx.server.url}/admin/groups`);
    await page.getByRole('button', { name: '新建技能组' }).click();
    await field(page, '新建技能组', '名称').fill('双11预备队');
    await field(page, '新建技能组', '默认接待上限').fill('8');
    await save(page, '新建技能组');
    await rowOf(page, '双11预备队').waitFor();
    expect(await rowOf(page, '双11预备队').textContent()).toContain('8');

    // Edit: the dialog opens filled with the group's values.
    await rowOf(page, '双11预备队').getByRole('button', { name: EDIT }).click();
    expect(await field(page, '编辑技能组', '名称').inputValue()).toBe('双11预备队');
    await field(page, '编辑技能组', '默认接待上限').fill('6');
    await save(page, '编辑技能组');
    await expect.poll(() => rowOf(page, '双11预备队').textContent()).toContain('6');

    // A new agent in that group; first with an email already in use, which the server rejects.
    await page.goto(`${fx.server.url}/admin/users`);
    await page.getByRole('button', { name: '新建成员' }).click();
    const form = dialog(page, '新建成员');
    await field(page, '新建成员', '邮箱').fill(admin.email);
    await field(page, '新建成员', '姓名').fill('小双');
    await field(page, '新建成员', '初始密码').fill('peakdesk-1111');
    await form
      .locator('.ant-form-item', { has: page.locator('label[title="技能组"]') })
      .locator('.ant-select')
      .click();
    await page.locator('.ant-select-item-option', { hasText: '双11预备队' }).click();
    await form.locator('.ant-modal-footer .ant-btn-primary').click();
    const emailError = form
      .locator('.ant-form-item', { has: page.locator('label[title="邮箱"]') })
      .locator('.ant-form-item-explain-error');
    await emailError.waitFor();
    expect(await emailError.textContent()).toBe('该邮箱已被使用');

    await field(page, '新建成员', '邮箱').fill('xiaoshuang@demo.peakdesk.local');
    await save(page, '新建成员');
    await rowOf(page, 'xiaoshuang@demo.peakdesk.local').waitFor();
    expect(await rowOf(page, 'xiaoshuang@demo.peakdesk.local').textContent()).toContain('双11预备队');

    // What the pages show is what the API stored.
    const users = (await (await page.request.get(`${fx.server.url}/api/users`)).json()) as {
      email: string;
      groupIds: string[];
    }[];
    const groups = (await (await page.request.get(`${fx.server.url}/api/groups`)).json()) as {
      id: string;
      name: string;
      defaultMaxConcurrency: number;
    }[];
    const reserve = groups.find((g) => g.name === '双11预备队')!;
    expect(reserve.defaultMaxConcurrency).toBe(6);
    expect(users.find((u) => u.email === 'xiaoshuang@demo.peakdesk.local')!.groupIds).toEqual([reserve.id]);
  });
});

describe('store identity secret in real Chromium', () => {
  it('is masked until revealed, rotates only after confirmation, and login and store pages log no console errors', async () => {
    const admin = fx.server.demoLogins.find((l) => l.role === 'admin')!;
    const page = await fx.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // First visit while signed out: the session probe answers 200, so no 401 reaches the console.
    await signIn(page, fx.server.url, admin.email, admin.password);
    await page.goto(`${fx.server.url}/admin/stores`);

    const stores = (await (await page.request.get(`${fx.server.url}/api/stores`)).json()) as {
      id: string;
      name: string;
      identitySecret: string;
    }[];
    const store = stores[0]!;
    await rowOf(page, store.name).locator('.ant-table-row-expand-icon').click();
    const secret = page.getByTestId('store-secret').first();
    await secret.waitFor();
    expect(await secret.textContent()).not.toContain(store.identitySecret);
    expect(await secret.textContent()).toMatch(/^•+$/);

    await page.getByTestId('store-secret-reveal').first().click();
    await expect.poll(() => secret.textContent()).toBe(store.identitySecret);
    await page.getByTestId('store-secret-reveal').first().click();
    await expect.poll(() => secret.textContent()).toMatch(/^•+$/);

    // Rotate asks first; cancelling keeps the secret.
    await page.getByTestId('store-secret-rotate').first().click();
    const confirm = page.locator('.ant-popconfirm', { hasText: '确定轮换身份签名密钥？' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: /取\s*消/ }).click();
    const unchanged = (await (await page.request.get(`${fx.server.url}/api/stores`)).json()) as typeof stores;
    expect(unchanged.find((s) => s.id === store.id)!.identitySecret).toBe(store.identitySecret);

    await page.getByTestId('store-secret-rotate').first().click();
    await confirm.getByRole('button', { name: '轮换密钥' }).click();
    // The new secret is shown once rotated, and it is the one the server now holds.
    await expect.poll(() => secret.textContent()).not.toMatch(/^•+$/);
    const rotated = (await (await page.request.get(`${fx.server.url}/api/stores`)).json()) as typeof stores;
    const now = rotated.find((s) => s.id === store.id)!.identitySecret;
    expect(now).not.toBe(store.identitySecret);
    expect(await secret.textContent()).toBe(now);

    expect(problems).toEqual([]);
  });
});
