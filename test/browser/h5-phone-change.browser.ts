// A resident with a new SIM, on the H5: signing in with the new number makes an empty account
// whose verification is refused (the ID number is on the old account), and the page says what to
// do; the resident signs in with the old number, changes it on the number page reached from My
// vouchers (code sent to the new number, the resend countdown running), and is told the new number
// and that other phones are signed out. Each page is looked at (axe, screenshot) at 360 px and 1280 px.
import { expect, test, type Page } from '@playwright/test';
import Redis from 'ioredis';
import { agreeToPrivacy, agreeToRealNameHandling, newIdNumber, newPhone, signInResident, verifyRealName } from './support/h5-resident';
import { lookAtBothWidths, PHONE, watchErrors } from './support/page-checks';

test.use({ viewport: PHONE });

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/** Lifts the number's sign-in resend cool-down: the walk signs in with one number twice within a minute. */
async function endSignInCooldown(phone: string): Promise<void> {
  const redis = new Redis(process.env.BROWSER_TEST_REDIS_URL as string);
  try {
    await redis.del(`${process.env.BROWSER_TEST_REDIS_PREFIX}otp:resident:cooldown:{${phone}}`);
  } finally {
    redis.disconnect();
  }
}

async function askForCode(page: Page, phone: string): Promise<void> {
  await page.getByLabel(/手机号|Phone number|New number/).fill(phone);
  await page.locator('[data-test=send-code]').click();
}

/** Fills the number, asks for a code and types the one the dev hint shows. */
async function typeNumberAndCode(page: Page, phone: string): Promise<void> {
  await askForCode(page, phone);
  const hint = page.locator('[data-test=dev-code]');
  await expect(hint).toContainText(/\d{6}/);
  await page.getByLabel(/短信验证码|SMS code/).fill(/(\d{6})/.exec((await hint.textContent()) ?? '')?.[1] ?? '');
}

test('a resident with a new number is told what to do, signs in with the old one, and moves the account', async ({ page }) => {
  const seen = watchErrors(page);
  const [oldPhone, phone] = [newPhone(), newPhone()];
  const idNumber = newIdNumber().valid;

  await signInResident(page, oldPhone);
  await verifyRealName(page, idNumber);
  await page.getByRole('button', { name: '退出登录' }).click();

  // The new SIM first: a new, empty account, whose verification with the same ID number is refused.
  await signInResident(page, phone);
  await page.getByLabel(/姓名/).fill('陈小明');
  await page.getByLabel(/身份证号/).fill(idNumber);
  await agreeToRealNameHandling(page);
  await page.locator('[data-test=verify]').click();
  await expect(page.locator('[data-test=real-name-error]')).toContainText('请用原手机号登录，在“我的券”里更换手机号');
  await lookAtBothWidths(page, 'h5-real-name-taken');
  await page.locator('[data-test=sign-in-with-old]').click();
  await expect(page).toHaveURL(/#\/sign-in\?next=\/phone/);

  await endSignInCooldown(oldPhone);
  await agreeToPrivacy(page);
  await typeNumberAndCode(page, oldPhone);
  await page.locator('[data-test=sign-in]').click();
  await expect(page).toHaveURL(/#\/phone$/);
  await expect(page.locator('[data-test=current-phone]')).toHaveText(`当前手机号：${masked(oldPhone)}`);
  await lookAtBothWidths(page, 'h5-phone-change');

  // The same number is refused in words; then the new one, its countdown running.
  await askForCode(page, oldPhone);
  await expect(page.locator('[data-test=phone-change-error]')).toHaveText('这就是你现在的手机号，请输入新号码。');
  await typeNumberAndCode(page, phone);
  await expect(page.locator('[data-test=send-code]')).toContainText(/\d+ 秒后重发/);
  await expect(page.locator('[data-test=send-code]')).toBeDisabled();
  await lookAtBothWidths(page, 'h5-phone-change-code-sent');
  await page.locator('[data-test=change-phone]').click();
  const done = page.locator('[data-test=phone-change-done]');
  await expect(done).toContainText(`手机号已更换为 ${masked(phone)}。`);
  await expect(done).toContainText('其他手机上的登录已全部退出');
  await lookAtBothWidths(page, 'h5-phone-changed');

  // My vouchers shows the account's number, and the way back to the number page.
  await page.goto('/h5/#/vouchers');
  await expect(page.locator('[data-test=account]')).toContainText(`当前账号 ${masked(phone)}`);
  await expect(page.locator('[data-test=change-phone-link]')).toHaveAttribute('href', /#\/phone$/);
  await expect(page.locator('[data-test=privacy-link]')).toHaveAttribute('href', /#\/privacy$/);
  await lookAtBothWidths(page, 'h5-vouchers-account');

  // The new number now signs in to the verified account; in English the page reads the same.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.goto('/h5/#/sign-in?next=/phone');
  await endSignInCooldown(phone);
  await agreeToPrivacy(page);
  await typeNumberAndCode(page, phone);
  await page.locator('[data-test=sign-in]').click();
  await expect(page).toHaveURL(/#\/phone$/);
  await page.getByRole('button', { name: '切换到英文' }).click();
  await expect(page.locator('[data-test=current-phone]')).toHaveText(`Current number: ${masked(phone)}`);
  await lookAtBothWidths(page, 'h5-phone-change-en');
  // The browser logs the two refusals the walk asks for (409 ID_NUMBER_TAKEN, 400 PHONE_UNCHANGED); nothing else.
  expect(seen.errors.filter((error) => !/status of (400|409)\b/.test(error))).toEqual([]);
});
