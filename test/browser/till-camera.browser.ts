// The till's camera: Chromium's fake capture device plays a video of a resident's real
// checkout code (support/camera.ts), the till's scanner (@zxing/browser, loaded when the
// scanner opens) decodes it, and the cashier redeems it.
import { expect, test } from '@playwright/test';
import { browserWithQrCamera } from './support/camera';
import { lookAtBothWidths, watchErrors } from './support/page-checks';
import { checkoutCode, residentVoucher } from './support/resident-voucher';
import { DEMO_STAFF, redeemAtTill, signInAtTill } from './support/till';

test('a cashier scans the code with the camera and redeems it', async ({ request }) => {
  const voucher = await residentVoucher(request, 3000);
  const code = await checkoutCode(request, voucher);
  const { browser, context } = await browserWithQrCamera(code);
  try {
    const page = await context.newPage();
    const seen = watchErrors(page);
    const scripts: string[] = [];
    page.on('request', (req) => {
      if (req.resourceType() === 'script') scripts.push(req.url());
    });
    await signInAtTill(page, DEMO_STAFF.CASHIER_JIANGBEI);
    await expect(page.locator('.bar')).toContainText('江北湾超市');
    const loadedBeforeScan = scripts.length;

    // 满100减30 on a ¥120 order.
    const result = await redeemAtTill(page, { amountYuan: '120' });
    // The scanner read exactly the code the resident's phone showed, and its code came in a chunk of its own.
    await expect(page.locator('#till-code')).toHaveValue(code);
    expect(scripts.length).toBeGreaterThan(loadedBeforeScan);
    expect(result).toMatchObject({ discount: '¥30.00', payable: '¥90.00' });
    await lookAtBothWidths(page, 'till-camera-redeemed');

    // The scanner open on the camera (the code is spent: it is only looked at, not redeemed).
    await page.locator('[data-test="new-sale"]').click();
    await page.locator('[data-test="scan"]').click();
    await expect(page.locator('#till-code')).toHaveValue(code, { timeout: 30_000 });
    expect(seen.errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
