// A resident on the H5, step by step through the pages as a person would: sign in with the
// SMS code (the dev hint shows it), verify the real name, grab in the demo's open round, and
// open the voucher's checkout code. `checkoutCodeOfNewResident` does all of it and answers the
// code's text, for journeys that go on to the till and the officials.
import { expect, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** A well-formed 18-character ID number of Haishu (330203), unique enough for one run. */
export function newIdNumber(): { valid: string; wrongCheck: string } {
  const first17 = `330203${1970 + randomInt(30)}0${1 + randomInt(9)}1${randomInt(10)}${String(randomInt(1000)).padStart(3, '0')}`;
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  const check = CHECK_CHARS[sum % 11];
  const wrong = CHECK_CHARS[(sum + 1) % 11];
  return { valid: `${first17}${check}`, wrongCheck: `${first17}${wrong}` };
}

/** A mobile number no demo resident has. */
export const newPhone = (): string => `137${String(randomInt(100_000_000)).padStart(8, '0')}`;

/** Ticks the sign-in page's consent to the privacy notice (no code is sent without it). */
export async function agreeToPrivacy(page: Page): Promise<void> {
  await page.locator('[data-test=privacy-consent-box]').check();
}

/** Ticks the real-name page's consent to the handling of the name and ID number. */
export async function agreeToRealNameHandling(page: Page): Promise<void> {
  await page.locator('[data-test=sensitive-consent-box]').check();
}

/** Signs a new resident in at /h5/#/sign-in with the code the dev hint shows; the page then asks for the real name. */
export async function signInResident(page: Page, phone: string = newPhone()): Promise<string> {
  await page.goto('/h5/#/sign-in');
  await page.getByLabel(/手机号|Phone number/).fill(phone);
  await agreeToPrivacy(page);
  await page.locator('[data-test=send-code]').click();
  const hint = page.locator('[data-test=dev-code]');
  await expect(hint).toContainText(/\d{6}/);
  const code = /(\d{6})/.exec((await hint.textContent()) ?? '')?.[1] ?? '';
  await page.getByLabel(/短信验证码|SMS code/).fill(code);
  await page.locator('[data-test=sign-in]').click();
  await expect(page).toHaveURL(/#\/real-name/);
  return phone;
}

/** Verifies the real name on the real-name page (already open); back on the campaigns after. */
export async function verifyRealName(page: Page, idNumber: string = newIdNumber().valid, name = '陈小明'): Promise<void> {
  await page.getByLabel(/姓名|Name/).fill(name);
  await page.getByLabel(/身份证号|ID number/).fill(idNumber);
  await agreeToRealNameHandling(page);
  await page.locator('[data-test=verify]').click();
  await expect(page.locator('[data-test=real-name-done]')).toBeVisible();
  await expect(page).toHaveURL(/#\/$/);
}

/** Grabs with the campaigns page's main grab button (the demo's open round) and waits for the outcome. */
export async function grabInOpenRound(page: Page): Promise<void> {
  const button = page.locator('[data-main-control]');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.locator('[data-test=grab-outcome]')).toHaveAttribute('data-outcome', /^(claimed|alreadyHeld)$/, { timeout: 30_000 });
}

/** Opens the newest unused voucher's checkout code and answers its text (the QR code's content). */
export async function openCheckoutCode(page: Page): Promise<string> {
  await page.goto('/h5/#/vouchers');
  await page.locator('[data-test=voucher][data-status=claimed] [data-test=show-code]').first().click();
  await expect(page.locator('[data-test=qr]')).toBeVisible();
  const text = (await page.locator('[data-test=code-text]').textContent())?.trim() ?? '';
  expect(text).not.toBe('');
  return text;
}

/**
 * A new resident signs in, verifies the real name, grabs a voucher in the demo's open round
 * and shows its checkout code: answers the code's text. The page then leaves the code screen,
 * so the code is not replaced by the next one while a cashier scans it (a new code voids the old),
 * unless told to stay: the screen renews its code only 50 s after showing it.
 */
export async function checkoutCodeOfNewResident(page: Page, options: { stayOnCode?: boolean } = {}): Promise<string> {
  await signInResident(page);
  await verifyRealName(page);
  await grabInOpenRound(page);
  const code = await openCheckoutCode(page);
  if (!options.stayOnCode) await page.goto('/h5/#/vouchers');
  return code;
}
