import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs in through the real login page; `online` then switches the agent's status to 在线. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  opts: { online?: boolean } = {},
) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('status-switch').waitFor();
  if (!opts.online) return;
  await page.locator('[data-status-option="online"]').click();
  await expect.poll(() => page.getByTestId('status-switch').getAttribute('data-status')).toBe('online');
}
