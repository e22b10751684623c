import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';

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
});
