import type { RunningServer } from '@peakdesk/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser } from './browser.ts';
import { startDemoServer } from './demo-server.ts';

export type DemoFixture = {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A page in a fresh browser context (its own cookies and storage: another person). */
  newPage(): Promise<Page>;
};

/**
 * The real server with the demo merchant on a fresh database, and real Chromium, for one test file:
 * started before its tests, closed after them. Read `server` and `browser` inside tests.
 */
export function useDemoServer(start: () => Promise<RunningServer> = startDemoServer): DemoFixture {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  // Every page runs under the server's Content-Security-Policy (docs/security.md): anything it blocks
  // (an inline script, a foreign host) is a broken screen, so it fails the file.
  const cspViolations: string[] = [];
  beforeAll(async () => {
    server = await start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(cspViolations).toEqual([]);
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`${what} is not started yet: use the fixture inside a test`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async newPage() {
      const page = await (await started(browser, 'browser').newContext()).newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      return page;
    },
  };
}
