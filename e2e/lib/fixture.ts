import type { RunningServer } from '@peakdesk/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
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
  beforeAll(async () => {
    server = await start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
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
      return (await started(browser, 'browser').newContext()).newPage();
    },
  };
}
