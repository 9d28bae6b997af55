// An official's own account in the console: a new account activated with the code its
// administrator handed over (password, then the authenticator's QR code and a code from it),
// and a password change, where a wrong current password is refused in words without signing
// the official out.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fillSignIn, freshTotpCode } from './support/console-officials';
import { lookAtBothWidths, watchErrors } from './support/page-checks';

const ROOT = join(__dirname, '..', '..');

/** A new auditor's account made as the first administrator's is (npm run officials:add): answers the activation code it printed. */
function newAccount(phone: string): string {
  const printed = execFileSync(process.execPath, [join(ROOT, 'dist/scripts/officials-add.js'), '--phone', phone, '--name', '审计 新人', '--role', 'auditor'], {
    env: { ...process.env, DATABASE_URL: process.env.BROWSER_TEST_DATABASE_URL },
    encoding: 'utf8',
  });
  const code = /shown once\): (\S+)/.exec(printed)?.[1];
  if (!code) throw new Error(`no activation code in: ${printed}`);
  return code;
}

test('a new official activates their account with the code, sets up the authenticator, and later changes the password', async ({ page }) => {
  test.setTimeout(180_000);
  const seen = watchErrors(page);
  const phone = `138${String(Date.now() % 100_000_000).padStart(8, '0')}`;
  const activationCode = newAccount(phone);

  await page.goto('/console/#/sign-in');
  await page.locator('#phone').fill(phone);
  await page.getByRole('link', { name: '收到了激活码？激活账号' }).click();
  await expect(page.locator('#a-phone')).toHaveValue(phone);
  await page.locator('#a-code').fill(activationCode);
  // Refused as typed, before anything is sent.
  await page.locator('#a-password').fill('short one');
  await page.locator('#a-repeat').fill('short one');
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('密码至少 12 个字符。')).toBeVisible();
  // The server's own rules: a common password is refused beside the field.
  await page.locator('#a-password').fill('password1234');
  await page.locator('#a-repeat').fill('password1234');
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByText('这是常见密码，请换一个。')).toBeVisible();
  const password = 'harbour lantern quiet 58 maple';
  await page.locator('#a-password').fill(password);
  await page.locator('#a-repeat').fill(password);
  await page.getByRole('button', { name: '下一步' }).click();

  await expect(page.locator('[data-test=totp-qr]')).toBeVisible();
  const secret = ((await page.locator('[data-test=totp-secret]').textContent()) ?? '').replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await lookAtBothWidths(page, 'console-activate-authenticator');
  const account = { key: phone, totpSecret: secret };
  await page.locator('#a-totp').fill(await freshTotpCode(account));
  await page.getByRole('button', { name: '完成激活并登录' }).click();
  // Signed in: the auditor's first page.
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await expect(page).toHaveURL(/#\/audit$/);

  await page.getByRole('menuitem', { name: '修改密码' }).click();
  await expect(page).toHaveURL(/#\/password$/);
  const newPassword = 'copper ferry gull 47 basalt';
  await page.locator('#p-current').fill('not my password at all');
  await page.locator('#p-new').fill(newPassword);
  await page.locator('#p-repeat').fill(newPassword);
  await page.locator('#p-totp').fill(await freshTotpCode(account));
  await page.getByRole('button', { name: '修改密码' }).click();
  // A wrong current password is the official's to correct, not a reason to sign them out.
  await expect(page.locator('[data-test=password-refusal]')).toContainText('当前密码或动态码不正确。');
  await expect(page).toHaveURL(/#\/password$/);
  await page.locator('#p-current').fill(password);
  await page.locator('#p-new').fill(newPassword);
  await page.locator('#p-repeat').fill(newPassword);
  await page.locator('#p-totp').fill(await freshTotpCode(account));
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page.locator('[data-test=password-changed]')).toBeVisible();
  await lookAtBothWidths(page, 'console-password-changed');

  // The new password signs in; the old one no longer does.
  await page.getByRole('button', { name: '退出登录' }).click();
  await fillSignIn(page, phone, newPassword, await freshTotpCode(account));
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  // The 401s are the refusals the test asked for; the browser logs them as failed requests, as it does the 422 of the common password.
  expect(seen.errors.filter((error) => !/status of (401|422)\b/.test(error))).toEqual([]);
});
