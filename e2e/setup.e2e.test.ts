import { describe, expect, it } from 'vitest';
import { startEmptyServer } from './lib/demo-server.ts';
import { useDemoServer } from './lib/fixture.ts';

const fx = useDemoServer(startEmptyServer);

describe('first run in real Chromium', () => {
  it('goes from an empty database through the setup page to a signed-in admin', async () => {
    const token = fx.server.setupToken;
    expect(token).toBeTruthy();

    // A stranger who reaches the port first has no token: the page asks for it and the server refuses a guess.
    const stranger = await fx.newPage();
    await stranger.goto(`${fx.server.url}/`);
    await stranger.waitForURL(/\/setup$/);
    await stranger.getByTestId('setup-token').fill('guessed');
    await stranger.getByTestId('setup-org').fill('抢注商家');
    await stranger.getByTestId('setup-name').fill('路人');
    await stranger.getByTestId('setup-email').fill('stranger@evil.example');
    await stranger.getByTestId('setup-password').fill('stranger-pass');
    await stranger.getByTestId('setup-submit').click();
    await expect
      .poll(() => stranger.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('设置令牌不对：请使用 peakdesk start 控制台里打印的链接');

    // The owner opens the link printed at start; the token is already filled in and not shown.
    const page = await fx.newPage();
    await page.goto(`${fx.server.url}/setup?token=${token}`);
    await page.getByTestId('setup-org').fill('小熊旗舰店');
    expect(await page.getByTestId('setup-token').isVisible()).toBe(false);
    await page.getByTestId('setup-name').fill('店长');
    await page.getByTestId('setup-email').fill('owner@bear.example');
    await page.getByTestId('setup-password').fill('short');
    await page.getByTestId('setup-submit').click();
    // The server's rule, translated next to its field.
    await page.locator('.ant-form-item-explain-error', { hasText: '至少 8 个字符' }).waitFor();
    await page.getByTestId('setup-password').fill('bear-secret-1');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('status-switch').waitFor();
    await page.waitForURL(/\/workspace$/);

    // Signed in as the organisation's admin: the admin pages show its default store.
    await page.goto(`${fx.server.url}/admin/stores`);
    await page.locator('.ant-table-row', { hasText: '默认店铺' }).waitFor();

    // Setup is over: the stranger's page and the link now lead to sign-in.
    const late = await fx.newPage();
    await late.goto(`${fx.server.url}/setup?token=${token}`);
    await late.waitForURL(/\/login$/);
    await late.getByTestId('login-email').waitFor();
  });
});
