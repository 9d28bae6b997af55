// A resident closes their account on the H5, and later comes back: from My vouchers to the closing
// page, which says what closing does; a code to the account's own number; the first press told of
// the unused voucher (the code still good), the second without ticking the give-up box refused in
// words, the third closing it, and this phone signed out. Then, on a new number, the same ID number
// reopens the account and its voucher is there again, and the privacy notice shows the consents
// on record. Each page looked at (axe, screenshot) at
// 360 px and 1280 px.
import { expect, test, type Page } from '@playwright/test';
import { grabInOpenRound, newIdNumber, newPhone, signInResident, verifyRealName } from './support/h5-resident';
import { lookAtBothWidths, PHONE, watchErrors } from './support/page-checks';

test.use({ viewport: PHONE });

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

async function typeClosingCode(page: Page): Promise<void> {
  await page.locator('[data-test=send-code]').click();
  const hint = page.locator('[data-test=dev-code]');
  await expect(hint).toContainText(/\d{6}/);
  await page.getByLabel(/短信验证码|SMS code/).fill(/(\d{6})/.exec((await hint.textContent()) ?? '')?.[1] ?? '');
}

test('a resident closes their account, giving up an unused voucher, and a new real-name verification reopens it', async ({ page }) => {
  const seen = watchErrors(page);
  const phone = newPhone();
  const idNumber = newIdNumber().valid;
  await signInResident(page, phone);
  await verifyRealName(page, idNumber);
  await grabInOpenRound(page);

  await page.goto('/h5/#/vouchers');
  await page.locator('[data-test=closing-link]').click();
  await expect(page).toHaveURL(/#\/closing$/);
  await expect(page.locator('[data-test=closing-terms] li')).toHaveCount(4);
  await expect(page.locator('[data-test=closing-phone] input')).toHaveValue(masked(phone));
  await lookAtBothWidths(page, 'h5-closing');

  await typeClosingCode(page);
  await page.locator('[data-test=close-account]').click();
  const unused = page.locator('[data-test=unused-vouchers]');
  await expect(unused).toContainText('你还有 1 张未使用的券。');
  await page.locator('[data-test=close-account]').click();
  await expect(page.locator('[data-test=closing-error]')).toHaveText('请先勾选放弃未使用的券，或先去用券。');
  await lookAtBothWidths(page, 'h5-closing-unused');
  await page.locator('[data-test=give-up]').click();
  await page.locator('[data-test=close-account]').click();
  await expect(page.locator('[data-test=closing-done]')).toContainText('账户已注销');
  await lookAtBothWidths(page, 'h5-closed');

  // This phone is signed out: My vouchers asks for a sign-in.
  await page.goto('/h5/#/vouchers');
  await expect(page.getByText('登录后查看你的券。')).toBeVisible();

  // On a new number, the same ID number reopens the account, with its voucher.
  await signInResident(page, newPhone());
  await page.getByLabel(/姓名/).fill('陈小明');
  await page.getByLabel(/身份证号/).fill(idNumber);
  await page.locator('[data-test=sensitive-consent-box]').check();
  await page.locator('[data-test=verify]').click();
  await expect(page.locator('[data-test=real-name-done]')).toContainText('欢迎回来');
  // Back on the campaigns, the round's voucher shows as already held.
  await expect(page).toHaveURL(/#\/$/);
  await lookAtBothWidths(page, 'h5-reopened');
  await page.goto('/h5/#/vouchers');
  await expect(page.locator('[data-test=voucher][data-status=claimed]')).toHaveCount(1);

  // The privacy notice names its version and, to the signed-in resident, the consents on record.
  await page.locator('[data-test=privacy-link]').click();
  await expect(page.locator('[data-test=privacy-version]')).toHaveText(/^版本 \d{4}-\d{2}-\d{2}$/);
  const consents = page.locator('[data-test=my-consents] p');
  await expect(consents).toHaveCount(2);
  await expect(consents.first()).toContainText('同意本说明（登录时）');
  await expect(consents.last()).toContainText('同意处理姓名和身份证号（实名认证时）');
  await lookAtBothWidths(page, 'h5-privacy-consents');
  // The browser logs the one refusal the walk asks for (409 UNUSED_VOUCHERS); nothing else.
  expect(seen.errors.filter((error) => !/status of 409\b/.test(error))).toEqual([]);
});

// Another phone still signed in to the account when it closes (its sign-in token lives on for
// minutes): its next grab takes nothing, says to sign in, and the phone forgets the session.
test('a phone still signed in to an account closed on another is told at its next grab to sign in, and forgets the session', async ({ page, browser }) => {
  const phone = newPhone();
  await signInResident(page, phone);
  await verifyRealName(page);
  const other = await browser.newContext({
    baseURL: process.env.WEB_BASE_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: PHONE,
    storageState: await page.context().storageState(),
  });
  const otherPage = await other.newPage();
  const seen = watchErrors(otherPage);
  await otherPage.goto('/h5/#/');
  const button = otherPage.locator('[data-main-control]');
  await expect(button).toBeEnabled();

  await page.goto('/h5/#/closing');
  await typeClosingCode(page);
  await page.locator('[data-test=close-account]').click();
  await expect(page.locator('[data-test=closing-done]')).toContainText('账户已注销');

  await button.click();
  const outcome = otherPage.locator('[data-test=grab-outcome]');
  await expect(outcome).toHaveAttribute('data-outcome', 'sessionEnded');
  await expect(outcome).toContainText('这个账号已注销或换了号码，本机的登录已失效，请重新登录。');
  await expect(outcome.getByRole('link', { name: '去登录' })).toBeVisible();
  await lookAtBothWidths(otherPage, 'h5-grab-account-closed');
  await otherPage.goto('/h5/#/vouchers');
  await expect(otherPage.getByText('登录后查看你的券。')).toBeVisible();
  // The one refusal asked for: the grab's 404 RESIDENT_NOT_FOUND.
  expect(seen.errors.filter((error) => !/status of 404\b/.test(error))).toEqual([]);
  await other.close();
});
