import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const fx = useDemoServer();

describe('promotion drill from the web app', () => {
  it('a supervisor starts a drill, watches its progress and reads a clean summary', async () => {
    const login = fx.server.demoLogins.find((l) => l.role === 'supervisor')!;
    const page = await fx.newPage();
    await signIn(page, fx.server.url, login.email, login.password);
    await page.goto(`${fx.server.url}/drills`);
    await page.getByTestId('drills-page').waitFor();

    // 30 simulated minutes at 60× take 30 real seconds; a simulated 30 s target is then 500 ms
    // real, well above the transport delay between the simulator's clock and the server's.
    await page.getByTestId('drill-speed').fill('60');
    // The demo has past drills: follow the run this click starts, not the newest finished one.
    const startAnswer = page.waitForResponse(
      (r) => r.url().endsWith('/api/drills/runs') && r.request().method() === 'POST',
    );
    await page.getByTestId('drill-start').click();
    const started = (await (await startAnswer).json()) as { id: string };
    const status = page.getByTestId('drill-status');
    await status.waitFor({ timeout: 30_000 });
    const runsNow = async () =>
      (await (await page.request.get(`${fx.server.url}/api/drills/runs`)).json()) as {
        id: string;
        drillOrgId: string;
        status: string;
        summary: { conversations: number; lost: number; duplicated: number; serviceLevel: number };
      }[];
    await expect
      .poll(async () => (await runsNow()).find((r) => r.id === started.id)?.status, {
        timeout: 120_000,
        interval: 1000,
      })
      .toBe('finished');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('finished');

    const summary = page.getByTestId('drill-summary');
    await summary.waitFor();
    // The page shows what the API reports; the API must report a clean run.
    const run = (await runsNow()).find((r) => r.id === started.id)!;
    expect(run.status).toBe('finished');
    expect(run.summary.conversations).toBeGreaterThan(0);
    expect(run.summary.lost).toBe(0);
    expect(run.summary.duplicated).toBe(0);
    expect(await summary.textContent()).toContain(String(run.summary.conversations));
    expect(await summary.textContent()).toContain(String(Math.round(run.summary.serviceLevel * 100)));
    // The drill organisation's wall is watchable from the parent organisation, and only by it.
    await page.getByTestId('drill-wall-link').click();
    await page.getByTestId('wall-page').waitFor();
    await page.getByTestId('wall-group').first().waitFor({ timeout: 15_000 });
    const wall = await page.request.get(`${fx.server.url}/api/routing/wall?orgId=${run.drillOrgId}`);
    expect(wall.status()).toBe(200);
    // The wall says it is a drill and shows the drill's service level: the summary's figure (one
    // definition), measured on the server's clock instead of the simulator's.
    const drill = ((await wall.json()) as { drill: { serviceLevel: number; status: string } }).drill;
    expect(drill.status).toBe('finished');
    expect(Math.abs(drill.serviceLevel - run.summary.serviceLevel)).toBeLessThanOrEqual(0.15);
    const banner = page.getByTestId('wall-drill');
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toContain('演练组织');
    expect(await banner.textContent()).toContain(`${Math.round(drill.serviceLevel * 100)}%`);

    const foreign = await page.request.get(
      `${fx.server.url}/api/routing/wall?orgId=00000000-0000-4000-8000-000000000000`,
    );
    expect(foreign.status()).toBe(404);
    const report = await page.request.get(`${fx.server.url}/api/drills/runs/${run.id}/report`);
    expect(report.status()).toBe(200);
    expect(await report.text()).toContain('echarts');
  });
});
