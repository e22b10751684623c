import { describe, expect, it } from 'vitest';
import { useDemoServer } from './lib/fixture.ts';
import { signIn } from './lib/session.ts';

const fx = useDemoServer();

describe('knowledge base and store scope in the web app', () => {
  it("a store supervisor imports FAQ entries for one of their stores (entries for every store are the admins')", async () => {
    const login = fx.server.demoLogins.find((l) => l.role === 'supervisor')!;
    const page = await fx.newPage();
    await signIn(page, fx.server.url, login.email, login.password);
    await page.goto(`${fx.server.url}/knowledge`);
    const picker = page.getByTestId('faq-import-store');
    await picker.waitFor();
    const stores = (await (await page.request.get(`${fx.server.url}/api/stores`)).json()) as {
      id: string;
      name: string;
    }[];
    // The import goes to the first store by default; "all stores" is not offered.
    await expect.poll(() => picker.textContent()).toContain(stores[0]!.name);
    await picker.click();
    await page.locator('.ant-select-dropdown').waitFor();
    expect(
      await page.locator('.ant-select-dropdown .ant-select-item-option').allTextContents(),
    ).not.toContain('全部店铺');
    await page.keyboard.press('Escape');

    await page.locator('input[type=file]').setInputFiles({
      name: 'faq.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'id,category,question,answer,similar_questions\ne2e-scope-1,物流,几点截单,下午四点截单,\n',
      ),
    });
    await page.getByText('已导入 1 条').waitFor();
    const faq = (await (await page.request.get(`${fx.server.url}/api/faqs/e2e-scope-1`)).json()) as {
      storeId: string | null;
    };
    expect(faq.storeId).toBe(stores[0]!.id);
  });
});
