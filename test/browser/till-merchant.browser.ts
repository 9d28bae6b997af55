// The merchant's pages at /till/: a business registers (the credit code checked as it is
// typed), follows its review; a shop's admin signs in, reads the shop's status, asks for a new
// settlement account (held for review) and replaces the request, adds, disables and enables
// again a cashier, and reads its statements.
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

test('a business registers: the credit code is checked as typed, then the shop awaits review and changes its address, telephone and settlement account', async () => {
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

  // Its address and telephone, changed at once; a telephone the API would refuse is named first.
  await page.locator('[data-test="edit-contact"]').click();
  await page.locator('#contact-phone').fill('0574/8765');
  await page.locator('[data-test="contact-submit"]').click();
  await expect(page.locator('[data-test="contact-form"] .van-field__error-message')).toHaveText('电话为 5-20 位数字，可以有空格或“-”，开头可以有 +');
  await page.locator('#contact-phone').fill('0574-8765 4321');
  await page.locator('#contact-address').fill('海曙区测试路 9 号');
  await lookAtPhone(page, 'till-shop-contact-form');
  await page.locator('[data-test="contact-submit"]').click();
  await expect(page.locator('[data-test="contact-saved"]')).toHaveText('地址和电话已保存。');
  await expect(page.locator('[data-test="shop-address"]')).toHaveText('海曙区测试路 9 号');
  await expect(page.locator('[data-test="shop-phone"]')).toHaveText('0574-8765 4321');
  // A shop still under review changes its settlement account at once (it is reviewed with the shop).
  await page.locator('[data-test="change-bank-account"]').click();
  await expect(page.locator('[data-test="bank-account-lead"]')).toHaveText('店铺还在审核中：新账户会直接替换注册时填写的账户，随店铺一起审核。');
  await page.locator('#bank-change-name').fill('宁波测试小吃有限公司');
  await page.locator('#bank-change-bank').fill('宁波银行鼓楼支行');
  await page.locator('#bank-change-number').fill('6223 0910 1000 9990 025');
  await page.locator('[data-test="bank-account-submit"]').click();
  await expect(page.locator('[data-test="bank-account-outcome"]')).toHaveText('结算账户已更新。');
  await expect(page.locator('[data-test="bank-account"]')).toContainText('宁波银行鼓楼支行 · 6223 **** **** 0025');
  await expect(page.locator('[data-test="pending-bank-account"]')).toHaveCount(0);
  // Its checkout says, before any scan, that vouchers are not taken yet.
  await page.getByRole('link', { name: '收银', exact: true }).click();
  await expect(page.locator('[data-test="not-taking-vouchers"]')).toContainText('店铺还在审核中');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('heading', { name: '店员登录' })).toBeVisible();
  expect(seen.errors).toEqual([]);
});

test("a shop's admin reads the shop's status, asks for a new settlement account, adds, disables and enables again a cashier, and reads the statements", async () => {
  await signInAtTill(page, DEMO_STAFF.ADMIN);
  await page.getByRole('link', { name: '店铺' }).click();
  await expect(page.locator('[data-test="merchant-status"]')).toHaveText('已通过');
  await lookAtBothWidths(page, 'till-shop');
  await lookAtPhone(page, 'till-shop');

  // A new settlement account: checked as typed, as the API checks it, then held for an official's review.
  const current = (await page.locator('[data-test="bank-account"]').textContent())?.match(/\d{4} \*{4} \*{4} \d{4}/)?.[0] as string;
  expect(current).toBeTruthy();
  await page.locator('[data-test="change-bank-account"]').click();
  const form = page.locator('[data-test="bank-account-form"]');
  await expect(form).toContainText(`审核通过前，结算款仍付到当前账户 ${current}`);
  await page.locator('#bank-change-name').fill('甬城老字号汤团店（个体）');
  await page.locator('#bank-change-bank').fill('宁波银行海曙支行');
  const number = page.locator('#bank-change-number');
  await number.fill('6223-0910');
  await expect(form.locator('.van-field__error-message')).toHaveText('结算账号只能是数字（可以有空格）');
  await number.fill('6223 091');
  await expect(page.locator('[data-test="bank-number-state"]')).toHaveText('已输入 7 位，需 8-30 位');
  await page.locator('[data-test="bank-account-submit"]').click();
  await expect(form.locator('.van-field__error-message')).toHaveText('结算账号至少 8 位数字');
  await number.fill('6223 0910 1000 9990 018');
  await expect(page.locator('[data-test="bank-number-state"]')).toHaveText('✓ 19 位');
  await lookAtPhone(page, 'till-shop-bank-form');

  // The API's refusal is said in words (a shop suspended meanwhile, say), never as a code.
  // An earlier request an official rejected is told, with the reason (its answer made up here: no official decides in this test).
  await page.route('**/api/merchant/v1/merchant/me', async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    const answer = await route.fetch();
    const rejected = { id: 'c0', status: 'rejected', requested: { bankAccountName: '张三', bankName: '中国银行', bankAccountMasked: '6216 **** **** 6543' }, requestedBy: 'a', requestedAt: '2026-12-01T02:00:00Z', decidedAt: '2026-12-02T03:00:00Z', reason: '户名与营业执照不一致' };
    return route.fulfill({ response: answer, json: { ...(await answer.json()), lastBankAccountDecision: rejected } });
  });
  await page.getByRole('button', { name: '刷新状态' }).click();
  await expect(page.locator('[data-test="bank-account-decision"]')).toHaveText(/你申请的新账户（6216\s\*\*\*\*\s\*\*\*\*\s6543）于 2026\/12\/02 11:00 未通过审核：户名与营业执照不一致。/);
  await page.unroute('**/api/merchant/v1/merchant/me');

  await page.route('**/api/merchant/v1/merchant/me', (route) =>
    route.request().method() === 'PATCH'
      ? route.fulfill({ status: 409, json: { code: 'MERCHANT_NOT_EDITABLE', message: "A suspended merchant's details cannot be changed", requestId: 'r1' } })
      : route.fallback(),
  );
  await page.locator('[data-test="bank-account-submit"]').click();
  await expect(page.locator('[data-test="bank-account-refusal"]')).toHaveText('未通过审核或已暂停的店铺，资料暂不能修改。如有疑问请联系商务部门。');
  await page.unroute('**/api/merchant/v1/merchant/me');
  // The browser logs the refused request as an error; it was this step's own.
  seen.errors = seen.errors.filter((error) => !/status of 409/.test(error));

  await page.locator('[data-test="bank-account-submit"]').click();
  await expect(page.locator('[data-test="bank-account-outcome"]')).toHaveText('已提交，等待商务部门审核。');
  const pending = page.locator('[data-test="pending-bank-account"]');
  await expect(pending).toContainText('新账户审核中');
  await expect(pending).toContainText('宁波银行海曙支行 · 6223 **** **** 0018');
  await expect(pending).toContainText(`审核通过前，结算款仍付到当前账户 ${current}。`);
  // Payouts still go to the approved account: the shop's own stays as it was.
  await expect(page.locator('[data-test="bank-account"]')).toContainText(current);
  await lookAtBothWidths(page, 'till-shop-bank-pending');
  await lookAtPhone(page, 'till-shop-bank-pending');
  // In English too.
  await page.getByRole('button', { name: '切换到英文' }).click();
  await expect(pending).toContainText('Until it is approved, payouts keep going to the current account');
  await lookAtPhone(page, 'till-shop-bank-pending-en');
  await page.getByRole('button', { name: 'Switch to Chinese' }).click();
  await expect(pending).toContainText('新账户审核中');

  // A later request replaces it.
  await page.locator('[data-test="change-bank-account"]').click();
  await expect(form).toContainText('提交后，正在审核的申请（6223 **** **** 0018）会被撤回');
  await page.locator('#bank-change-name').fill('甬城老字号汤团店（个体）');
  await page.locator('#bank-change-bank').fill('中国工商银行宁波分行');
  await page.locator('#bank-change-number').fill('6222021234567890127');
  await page.locator('[data-test="bank-account-submit"]').click();
  await expect(page.locator('[data-test="bank-account-outcome"]')).toContainText('已提交');
  await expect(pending).toContainText('中国工商银行宁波分行 · 6222 **** **** 0127');
  await expect(pending).not.toContainText('0018');

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
  await expect(page.locator('[data-test="staff-changed"]')).toHaveText('已停用 收银员 小王。');
  await lookAtPhone(page, 'till-cashiers-disabled');
  // Enabled again (after a confirmation, as disabling asks one): they sign in again with a code.
  await row.getByRole('button', { name: '启用 收银员 小王' }).click();
  await expect(row).toContainText('在岗');
  expect(dialogs.at(-1)).toBe('重新启用 收银员 小王？启用后可以再登录收银台；之前登录的收银台不会恢复，需要用手机号和验证码重新登录。');
  await expect(row.getByRole('button', { name: '停用 收银员 小王' })).toBeVisible();
  await expect(page.locator('[data-test="staff-changed"]')).toHaveText('已重新启用 收银员 小王，需用手机号和验证码重新登录收银台。');
  await lookAtBothWidths(page, 'till-cashiers-enabled');
  await lookAtPhone(page, 'till-cashiers-enabled');

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
