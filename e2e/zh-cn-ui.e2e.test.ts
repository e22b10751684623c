import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const fx = useDemoServer();

/**
 * Screenshots one character drawn in the font of the page's login title. Without a CJK font Chromium
 * draws every Chinese character as the same empty box (the .notdef glyph), exactly like a code point
 * no font has; with the font each character has its own pixels.
 */
async function shootCharacter(page: Page, char: string): Promise<Buffer> {
  await page.evaluate((c) => {
    const title = document.querySelector('.pd-login__card h3');
    if (!title) throw new Error('login title not found');
    let probe = document.getElementById('glyph-probe');
    if (!probe) {
      probe = document.createElement('span');
      probe.id = 'glyph-probe';
      const style = getComputedStyle(title);
      Object.assign(probe.style, {
        position: 'fixed',
        left: '0',
        top: '0',
        padding: '4px',
        fontFamily: style.fontFamily,
        fontSize: '48px',
        lineHeight: '56px',
        background: '#fff',
        color: '#000',
        zIndex: '9999',
      });
      document.body.append(probe);
    }
    probe.textContent = c;
  }, char);
  return page.locator('#glyph-probe').screenshot();
}

describe('the Chinese UI on a fresh machine, in real Chromium', () => {
  it('the login page draws Chinese glyphs, not boxes (a CJK font is installed)', async () => {
    const page = await fx.newPage();
    await page.goto(`${fx.server.url}/login`);
    const title = (await page.locator('.pd-login__card h3').textContent()) ?? '';
    const chinese = [...title].filter((c) => /\p{Script=Han}/u.test(c));
    expect(chinese.length).toBeGreaterThanOrEqual(2);
    // U+0378 is unassigned: no font has it, so it is drawn as the box a missing glyph gets.
    const box = await shootCharacter(page, '\u0378');
    const first = await shootCharacter(page, chinese[0]!);
    const second = await shootCharacter(page, chinese[1]!);
    expect(first.equals(box), `${chinese[0]} is drawn as a box`).toBe(false);
    expect(second.equals(box), `${chinese[1]} is drawn as a box`).toBe(false);
    expect(first.equals(second), `${chinese[0]} and ${chinese[1]} are drawn alike`).toBe(false);
    await page.context().close();
  });

  it('the main pages in zh-CN show no developer text: no codes, identifiers, camelCase names or JSON', async () => {
    const admin = fx.server.demoLogins.find((l) => l.role === 'admin')!;
    const page = await fx.newPage();
    await signIn(page, fx.server.url, admin.email, admin.password);
    // Something in the audit log: a token, a bot mode, a group's routing.
    const request = page.request;
    const token = await request.post(`${fx.server.url}/api/tokens`, { data: { name: '对账系统' } });
    expect(token.ok()).toBe(true);
    const stores = (await (await request.get(`${fx.server.url}/api/stores`)).json()) as { id: string }[];
    await request.put(`${fx.server.url}/api/stores/${stores[0]!.id}/bot-settings`, {
      data: { mode: 'bot_first' },
    });
    const refused = await request.post(`${fx.server.url}/api/users`, {
      data: { email: 'not-an-address', name: '小王', password: 'peakdesk-1234', role: 'agent' },
    });
    expect(refused.status()).toBe(400);

    const pages: [string, () => Promise<void>][] = [
      ['/workspace', async () => {}],
      ['/quick-replies', async () => {}],
      [
        '/knowledge',
        async () => {
          // The try-the-bot console with its score breakdown.
          await page.getByRole('tab', { name: '试一试机器人' }).click();
          await page.getByTestId('try-input').locator('input').fill('亲，保价吗');
          await page.getByTestId('try-input').locator('input').press('Enter');
          await page.getByTestId('try-result').waitFor();
        },
      ],
      ['/wall', async () => {}],
      ['/leave-messages', async () => {}],
      ['/planner', async () => {}],
      ['/drills', async () => {}],
      ['/admin/stores', async () => {}],
      ['/admin/routing', async () => {}],
      ['/admin/groups', async () => {}],
      ['/admin/users', async () => {}],
      ['/admin/tokens', async () => {}],
      [
        '/admin/audit',
        async () => {
          await page.getByTestId('audit-action').first().waitFor();
        },
      ],
    ];
    const found: string[] = [];
    for (const [path, prepare] of pages) {
      await page.goto(`${fx.server.url}${path}`);
      await page.locator('.pd-page, .ant-layout-content').first().waitFor();
      await page.waitForLoadState('networkidle');
      await prepare();
      // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not hidden nodes or style text.
      const text = await page.evaluate(() => document.body.innerText);
      for (const hit of developerText(text)) found.push(`${path}: ${hit}`);
    }
    expect(found).toEqual([]);
    await page.context().close();
  });
});

/**
 * What a Chinese page must not show: snake_case codes (drill_running), dotted identifiers (drill.create,
 * settings.history), camelCase names (idfCoverQuery), JSON, and English sentences from the server.
 * E-mail addresses, URLs, file names and script variables ({buyer_name}) are left out first.
 */
function developerText(text: string): string[] {
  const cleaned = text
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    // File names a hint tells the merchant to import (examples/volume-history.csv) are not code.
    .replace(/[\w/-]+\.(?:csv|xlsx|json)\b/g, ' ')
    .replace(/<script[^>]*>/g, ' ')
    // Reply-script variables are written like this on purpose: agents type them.
    .replace(/\{[a-z_]+\}/g, ' ');
  const patterns = [
    /\b[a-z]+(?:_[a-z0-9]+)+\b/g,
    /\b[a-z]+(?:\.[a-z_]+)+\b/g,
    /\b[a-z]+[A-Z][A-Za-z]+\b/g,
    /\{\s*"/g,
    /\b(?:must|should|cannot|invalid|not found|required|expected|received)\b/gi,
  ];
  return [...new Set(patterns.flatMap((p) => cleaned.match(p) ?? []))];
}
