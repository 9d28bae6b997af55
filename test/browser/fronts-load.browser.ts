// Each front loads from the web gateway, in Chinese, without a JavaScript error, and reaches its
// app through /api/<app>/ on the same origin.
import { expect, test } from '@playwright/test';
import { lookAtBothWidths, watchErrors } from './support/page-checks';

for (const front of ['h5', 'till', 'console']) {
  test(`the ${front} front loads on the gateway's origin`, async ({ page }) => {
    const seen = watchErrors(page);
    await page.goto(`/${front}/`);
    await expect(page.locator('#app')).not.toBeEmpty();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await lookAtBothWidths(page, `${front}-first`);
    expect(seen.errors).toEqual([]);
  });
}

test('the gateway forwards /api/<app>/ to the app and answers unknown apps with a stable code', async ({ request }) => {
  const health = await request.get('/api/issuance/health');
  expect(health.status()).toBe(200);
  expect((await health.json()).status).toBe('ok');
  const unknown = await request.get('/api/nosuchapp/health');
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).code).toBe('ROUTE_NOT_FOUND');
  const traversal = await request.get('/..%2f..%2fetc/passwd');
  expect(traversal.status()).toBe(404);
});
