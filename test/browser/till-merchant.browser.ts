// The merchant's pages at /till/: a business registers (the credit code checked as it is
// typed), follows its review; a shop's admin signs in, reads the shop's status, adds and
// disables a cashier and reads its statements.
import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { creditCodeCheckChar } from '../../libs/common/src/credit-code';
import { lookAtBothWidths, screenshot, watchErrors } from './support/page-checks';
import { DEMO_STAFF, signInAtTill } from './support/till';

test.describe.configure({ mode: 'serial' });

let page: Page;
let seen: { errors: string[] };
/** The confirmations the pages asked for, each accepted. */
const dialogs: string[] = [];

test.beforeAll(async ({ browser }) => {
  // One page for the file's steps, which follow one another (axe needs it made by a context).
  const context = await browser.newContext({ baseURL: process.env.WEB_BASE_URL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  seen = watchErrors(page);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
});

// Each step answers for its own errors.
test.beforeEach(() => {
  seen.errors.length = 0;
});

test.afterAll(async () => {
  await page.context().close();
});

/** The page at 375 px, the width of the phones most shops' admins hold, for a person to look at. */
async function lookAtPhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.waitForTimeout(150);
  await screenshot(page, name);
}

function creditCode(): { good: string; bad: string } {
  const first17 = `91330203MA2T${String(randomInt(100_000)).padStart(5, '0')}`;
  const check = creditCodeCheckChar(first17) as string;
  const wrong = '0123456789ABCDEFGHJKLMNPQRTUWXY'.split('').find((char) => char !== check) as string;
  return { good: first17 + check, bad: first17 + wrong };
}

test('a business registers: the credit code is checked as typed, then the shop awaits review', async () => {
  const { good, bad } = creditCode();
  await page.goto('/till/#/register');
  await expect(page.getByRole('heading', { name: '商户注册' })).toBeVisible();
  await lookAtBothWidths(page, 'till-register');

  const field = page.locator('#reg-credit-code');
  await field.fill(bad.slice(0, 10));
  await expect(page.locator('[data-test="credit-code-state"]')).toHaveText('已输入 10/18 位');
  await field.fill(`${bad.slice(0, 10)}I`);
  await expect(page.locator('.van-field__error-message')).toHaveText('只能是数字和大写字母（不含 I、O、S、V、Z）');
  await field.fill(bad);
  await expect(page.locator('.van-field__error-message')).toHaveText('校验位不对，请核对营业执照上的 18 位代码');
  await lookAtBothWidths(page, 'till-register-bad-code');
  // Typed in lower case with spaces, as people do: read as the API reads it.
  await field.fill(`${good.slice(0, 9)} ${good.slice(9).toLowerCase()}`);
  await expect(page.locator('[data-test="credit-code-state"]')).toHaveText('✓ 校验通过');
  await expect(page.locator('.van-field__error-message')).toHaveCount(0);

  await page.locator('#reg-registered-name').fill('宁波测试小吃有限公司');
  await page.locator('#reg-shop-name').fill('测试小吃');
  await page.locator('#reg-district').selectOption('haishu');
  await page.locator('#reg-category').selectOption('dining');
  await page.locator('#reg-address').fill('海曙区测试路 8 号');
  await page.locator('#reg-bank-account-name').fill('宁波测试小吃有限公司');
  await page.locator('#reg-bank-name').fill('宁波银行海曙支行');
  await page.locator('#reg-bank-account-number').fill('6223091010009990017');
  await page.locator('#reg-admin-name').fill('李店长');
  await page.locator('#reg-phone').fill(`137${String(randomInt(100_000_000)).padStart(8, '0')}`);
  await page.getByRole('button', { name: '获取验证码' }).click();
  const code = /(\d{6})/.exec((await page.locator('[data-test="dev-code"]').textContent()) ?? '')?.[1] as string;
  await page.locator('#reg-code').fill(code);
  await page.locator('[data-test="register"]').click();

  await expect(page.getByRole('heading', { name: '我的店铺' })).toBeVisible();
  await expect(page.locator('[data-test="merchant-status"]')).toHaveText('审核中');
  await expect(page.locator('[data-test="status-words"]')).toContainText('商务部门审核通过后即可收券');
  await expect(page.getByText(good)).toBeVisible();
  await lookAtBothWidths(page, 'till-shop-pending');
  // Its checkout says, before any scan, that vouchers are not taken yet.
  await page.getByRole('link', { name: '收银', exact: true }).click();
  await expect(page.locator('[data-test="not-taking-vouchers"]')).toContainText('店铺还在审核中');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('heading', { name: '店员登录' })).toBeVisible();
  expect(seen.errors).toEqual([]);
});

test("a shop's admin reads the shop's status, adds and disables a cashier, and reads the statements", async () => {
  await signInAtTill(page, DEMO_STAFF.ADMIN);
  await page.getByRole('link', { name: '店铺' }).click();
  await expect(page.locator('[data-test="merchant-status"]')).toHaveText('已通过');
  await lookAtBothWidths(page, 'till-shop');

  await page.getByRole('link', { name: '收银员' }).click();
  const phone = `135${String(randomInt(100_000_000)).padStart(8, '0')}`;
  await page.locator('#cashier-name').fill('收银员 小王');
  await page.locator('#cashier-phone').fill(phone);
  await page.locator('[data-test="add-cashier"]').click();
  await expect(page.locator('[data-test="cashier-added"]')).toContainText('已添加 收银员 小王');
  const row = page.locator('[data-test="staff-row"]', { hasText: `${phone.slice(0, 3)}****${phone.slice(7)}` });
  await expect(row).toContainText('在岗');
  await lookAtBothWidths(page, 'till-cashiers');
  await row.getByRole('button', { name: '停用 收银员 小王' }).click();
  await expect(row).toContainText('已停用');

  // The demo day (yesterday, Asia/Shanghai): two vouchers of 满40减10 spent at this shop, not
  // settled yet, or (when the console's journey ran first in the same run) settled in one line.
  await page.getByRole('link', { name: '对账单' }).click();
  await expect(page.locator('[data-test="day-statement"]')).toContainText(/未结算：2 笔，补贴 ¥20\.00|结算：2 笔，应付 ¥20\.00/);
  await lookAtBothWidths(page, 'till-statements');

  // A payout the bank sent back: the shop is told why, above the table and beside the line.
  const statements = '**/api/settlement/v1/merchant/statements?*';
  await page.route(statements, async (route) => {
    const page_ = (await (await route.fetch()).json()) as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    const failed = {
      ...(page_.items[0] ?? { lineId: 'l1', batchId: 'b1', batchStatus: 'partly_failed', paidAt: null, redemptionCount: 2, grossFen: 2000, carriedFen: 0, clawbackFen: 0, amountFen: 2000, cityFen: 1000, districtFen: 1000, bankAccountMasked: '6223 **** **** 0013' }),
      businessDate: '2026-11-30',
      status: 'failed',
      failureReason: '账户已销户',
      carriedForward: false,
    };
    await route.fulfill({ json: { items: [failed, ...page_.items.slice(1)], nextCursor: null } });
  });
  await page.reload();
  await expect(page.locator('[data-test="failed-payouts"]')).toContainText('有 1 笔结算付款被银行退回（账户已销户）');
  await expect(page.locator('[data-test="statement-row"]').first()).toContainText(/付款失败\s*账户已销户/);
  await lookAtBothWidths(page, 'till-statements-failed');
  await page.unroute(statements);
  expect(seen.errors).toEqual([]);
});
