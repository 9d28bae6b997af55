// Driving the till's pages in the browser tests, for the till's own tests and for the
// end-to-end journey: a cashier's SMS sign-in (the dev hint shows the code) and one sale,
// scanned (the camera of browserWithQrCamera, camera.ts) or typed.
import { expect, type Page } from '@playwright/test';

/** The demo's staff (scripts/demo/demo-people.ts): a number may ask for a code once a minute, so tests share them out. */
export const DEMO_STAFF = {
  /** 甬城老字号汤团店 (haishu, dining): its admin and its cashier. */
  ADMIN: '13600000001',
  CASHIER: '13600000002',
  /** 江北湾超市 (jiangbei, supermarket): its cashier. */
  CASHIER_JIANGBEI: '13600000011',
  /** 鄞州万达家电 (yinzhou, home appliances: outside the demo campaign's categories): its cashier. */
  CASHIER_YINZHOU: '13600000012',
  /** 北仑港夜市烧烤 (beilun, night economy): its cashier, signed in by no till test (free for other journeys). */
  CASHIER_BEILUN: '13600000013',
} as const;

/** Signs a member of a shop's staff in at /till/ with the code the dev hint shows; ends on the checkout (or, for a pending shop's admin, its status). */
export async function signInAtTill(page: Page, phone: string): Promise<void> {
  await page.goto('/till/#/sign-in');
  await page.locator('#sign-in-phone').fill(phone);
  await page.getByRole('button', { name: /获取验证码|Send code/ }).click();
  const hint = page.locator('[data-test="dev-code"]');
  await expect(hint).toBeVisible();
  const code = /(\d{6})/.exec((await hint.textContent()) ?? '')?.[1];
  if (!code) throw new Error('no development code shown');
  await page.locator('#sign-in-code').fill(code);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
}

export interface TillSale {
  /** The code, typed; leave it out when the scanner is to read it from the camera. */
  code?: string;
  /** The order amount as the cashier types it, in yuan ("50", "120.00"). */
  amountYuan: string;
}

export interface TillResult {
  orderNo: string;
  /** As the till shows them: "¥10.00". */
  discount: string;
  payable: string;
}

/**
 * One sale at a signed-in till's checkout: starts a new sale if a result is showing, reads the
 * code from the camera (no `code`) or types it, types the amount, redeems, and answers what the
 * result panel shows. Fails the test when the till refuses (the refusal's words in the message).
 */
export async function redeemAtTill(page: Page, sale: TillSale): Promise<TillResult> {
  if (!page.url().endsWith('#/')) await page.goto('/till/#/');
  const nextSale = page.locator('[data-test="new-sale"]');
  if (await nextSale.isVisible()) await nextSale.click();
  const codeField = page.locator('#till-code');
  if (sale.code === undefined) {
    await page.locator('[data-test="scan"]').click();
    await expect(codeField).not.toHaveValue('', { timeout: 45_000 });
  } else {
    await codeField.fill(sale.code);
  }
  await page.locator('#till-amount').fill(sale.amountYuan);
  const orderNo = (await page.locator('#till-order-no').textContent())?.trim() ?? '';
  await page.locator('[data-test="redeem"]').click();
  const result = page.locator('[data-test="result"]');
  await expect(result).toBeVisible();
  const refusal = result.locator('[data-test="refusal"]');
  await expect(result.locator('[data-test="discount"]').or(refusal)).toBeVisible();
  if (await refusal.isVisible()) throw new Error(`the till refused: ${await refusal.textContent()}`);
  return {
    orderNo,
    discount: (await result.locator('[data-test="discount"]').textContent())?.trim() ?? '',
    payable: (await result.locator('[data-test="payable"]').textContent())?.trim() ?? '',
  };
}
