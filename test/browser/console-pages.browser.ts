// The officials' console page by page: the sign-in's refusal of a wrong password in words, then
// each main page (campaigns with live stock, merchants, figures, settlement) as an official of
// the role it is for, with no JavaScript error, no serious or critical accessibility violation,
// and screenshots at 360 px and 1280 px.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { demoOfficial, fillSignIn, signInOfficial } from './support/console-officials';
import { expectAccessible, lookAtBothWidths, PHONE, screenshot, watchErrors } from './support/page-checks';

test('a wrong password is refused in words, and the page says how many tries are left', async ({ page }) => {
  const seen = watchErrors(page);
  const auditor = demoOfficial('AUDITOR_B');
  await fillSignIn(page, auditor.phone, 'not the password at all', '000000');
  await expect(page.locator('[data-test=sign-in-refusal]')).toContainText('手机号、密码或动态码不正确');
  await expect(page.locator('[data-test=sign-in-refusal]')).toContainText('将被锁定');
  await lookAtBothWidths(page, 'console-sign-in-refused');
  // The 401 is the refusal the test asked for; the browser logs it as a failed request.
  expect(seen.errors.filter((error) => !/status of 401\b/.test(error))).toEqual([]);
});

test('the sign-in page, in Chinese, with its two steps', async ({ page }) => {
  const seen = watchErrors(page);
  await page.goto('/console/');
  await expect(page).toHaveURL(/#\/sign-in/);
  await expect(page.locator('#phone')).toBeVisible();
  await lookAtBothWidths(page, 'console-sign-in');
  expect(seen.errors).toEqual([]);
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { creditCodeCheckChar } = require(join(__dirname, '..', '..', 'dist/libs/common/src/index.js')) as { creditCodeCheckChar: (first17: string) => string | null };

/** A well-formed credit code no other test uses. */
function freshCreditCode(): string {
  const first17 = `91330200MA2E${String(Date.now() % 100_000).padStart(5, '0')}`;
  return `${first17}${creditCodeCheckChar(first17) ?? ''}`;
}

test('a commerce official creates a draft campaign and ends it, imports merchants with a line report, and suspends one with a reason', async ({ page }) => {
  const seen = watchErrors(page);
  await signInOfficial(page, 'COMMERCE_B');
  await page.goto('/console/#/campaigns/new');
  const name = `浏览器测试活动 ${Date.now()}`;
  await page.locator('#c-name').fill(name);
  await page.getByText('餐饮', { exact: true }).click();
  await page.locator('#c-budget').fill('20000');
  await page.locator('#t0-name').fill('满50减10');
  await page.locator('#t0-face').fill('10');
  await page.locator('#t0-threshold').fill('50');
  await page.locator('#t0r0-opens').fill('2030-01-02 10:00:00');
  await page.locator('#t0r0-opens').press('Enter');
  // A big round's stock in 4 buckets: every round of the campaign takes it.
  await page.locator('#c-buckets').fill('4');
  await page.locator('#c-buckets').blur();
  await page.getByRole('button', { name: '创建草稿' }).click();
  await page.waitForURL(/#\/campaigns\/[0-9a-f-]{36}$/);
  await expect(page.locator('[data-test=campaign-status]')).toHaveAttribute('data-status', 'draft');
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.locator('[data-test=round-buckets]')).toHaveText(['4']);
  await page.locator('#move-to').click({ force: true });
  await page.getByRole('option', { name: '已结束' }).click();
  // Ending is for good: without a reason it is refused in words; with one, it is asked once more.
  await page.getByRole('button', { name: '变更状态' }).click();
  await expect(page.getByText('结束活动不可撤销，请写明理由。')).toBeVisible();
  await page.locator('#move-reason').fill('浏览器测试结束');
  await page.getByRole('button', { name: '变更状态' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
  await expect(page.locator('[data-test=campaign-status]')).toHaveAttribute('data-status', 'draft');
  await page.getByRole('button', { name: '变更状态' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认结束' }).click();
  await expect(page.locator('[data-test=campaign-status]')).toHaveAttribute('data-status', 'ended');
  // Who ended it, by name, and why.
  await expect(page.getByRole('row').filter({ hasText: '浏览器测试结束' })).toContainText('市商务局 演示 B');

  await page.goto('/console/#/merchants');
  const code = freshCreditCode();
  const csv = [
    'credit_code,registered_name,shop_name,district,category,address,latitude,longitude,contact_phone,bank_account_name,bank_name,bank_account_number',
    `${code},宁波浏览器测试有限公司,浏览器测试小店,haishu,dining,海曙区测试路1号,,,13812345678,,,`,
    'NOT-A-CODE,坏行,坏行小店,haishu,dining,海曙区测试路2号,,,13812345678,,,',
  ].join('\n');
  await page.locator('input[type=file]').setInputFiles({ name: 'merchants.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '开始导入' }).click();
  const report = page.locator('[data-test=import-report]');
  await expect(report).toContainText('新增');
  await expect(page.getByRole('cell', { name: 'NOT-A-CODE' })).toBeVisible();
  // The problem in the console's words, with its code.
  await expect(page.getByRole('cell', { name: '统一社会信用代码校验不通过（CREDIT_CODE_INVALID）' })).toBeVisible();
  await lookAtBothWidths(page, 'console-merchants-import', ['[data-test=import-problems]']);

  await page.locator('#m-status').click({ force: true });
  await page.getByRole('option', { name: '已通过' }).click();
  await page.locator('#m-name').fill('浏览器测试');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page.locator('[data-test=merchants]')).toContainText(code);
  // The list with a merchant in it: at 360 px one card a merchant, its review button on it.
  await lookAtBothWidths(page, 'console-merchants-found', ['[data-test=merchants]']);
  await page.locator('[data-test=merchants]').getByRole('button', { name: '审核' }).first().click();
  const record = page.locator('[data-test=merchant-record]');
  await expect(record).toContainText('宁波浏览器测试有限公司');
  await expect(record).toContainText('海曙区测试路1号');
  // Imported: no registration step, said so rather than an empty list.
  await expect(record.locator('[data-test=review-history]')).toContainText('批量导入');
  await page.locator('#decision-reason').fill('浏览器测试：证照过期，暂停');
  await record.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(/已将「浏览器测试小店」改为「已暂停」/)).toBeVisible();
  expect(seen.errors).toEqual([]);
});

test("a shop registers and is approved from its record; its new payout account, under another holder's name, is reviewed side by side", async ({ page, request }) => {
  const seen = watchErrors(page);
  // The shop's side through the API: a code (the development echo), the registration, later a new account.
  const phone = `135${String(Date.now() % 100_000_000).padStart(8, '0')}`;
  const sent = await request.post('/api/merchant/v1/merchant-auth/otp', { data: { phone } });
  expect(sent.status()).toBe(202);
  const { devCode } = (await sent.json()) as { devCode: string };
  const shopName = `账户测试小馆 ${Date.now() % 100_000}`;
  const registered = await request.post('/api/merchant/v1/merchant-registrations', {
    data: {
      phone, code: devCode, creditCode: freshCreditCode(), registeredName: '宁波账户测试餐饮有限公司', shopName, district: 'haishu', category: 'dining',
      address: '海曙区账户路 8 号', contactPhone: '0574-8765 4321', bankAccountName: '宁波账户测试餐饮有限公司', bankName: '宁波银行海曙支行', bankAccountNumber: '6223091010001234567',
    },
  });
  expect(registered.status()).toBe(201);
  const shop = (await registered.json()) as { accessToken: string };

  await signInOfficial(page, 'COMMERCE_A');
  await page.goto('/console/#/merchants');
  await page.locator('#m-name').fill(shopName);
  await page.getByRole('button', { name: '筛选' }).click();
  await page.locator('[data-test=merchants]').getByRole('button', { name: shopName }).click();
  const record = page.locator('[data-test=merchant-record]');
  // What the official approves: the registered name, the address, the account the subsidy will go to.
  await expect(record).toContainText('宁波账户测试餐饮有限公司');
  await expect(record).toContainText('海曙区账户路 8 号');
  await expect(record.locator('[data-test=record-account]')).toContainText('6223 **** **** 4567');
  await expect(record.locator('[data-test=review-history]')).toContainText('提交登记');
  await lookAtBothWidths(page, 'console-merchant-record', ['[data-test=merchant-record]']);
  // Nothing is chosen for the official.
  await record.getByRole('button', { name: '确定' }).click();
  await expect(record.getByText('请选择决定')).toBeVisible();
  await record.getByRole('radio', { name: '通过' }).click({ force: true });
  await record.getByRole('button', { name: '确定' }).click();
  await expect(record.getByText('请填写理由')).toBeVisible();
  // While the official reads, the shop (still pending) changes its account: the approval is refused and the new account shown.
  const swapped = await request.patch('/api/merchant/v1/merchant/me', {
    headers: { authorization: `Bearer ${shop.accessToken}` },
    data: { bankAccountName: '李四', bankAccountNumber: '6228480000001112223' },
  });
  expect(swapped.status()).toBe(200);
  await page.locator('#decision-reason').fill('证照齐全，核验通过');
  await record.getByRole('button', { name: '确定' }).click();
  await expect(record.getByText('商户的信息（如收款账户）在你打开后有了变更')).toBeVisible();
  await expect(record.locator('[data-test=record-account]')).toContainText('6228 **** **** 2223');
  await expect(record.locator('[data-test=record-account] [data-test=holder-differs]')).toBeVisible();
  await record.getByRole('radio', { name: '通过' }).click({ force: true });
  await page.locator('#decision-reason').fill('重新核对：个人账户经负责人书面说明');
  await record.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(`已将「${shopName}」改为「已通过」`)).toBeVisible();

  const asked = await request.patch('/api/merchant/v1/merchant/me', {
    headers: { authorization: `Bearer ${shop.accessToken}` },
    data: { bankAccountName: '张三', bankName: '中国银行宁波分行', bankAccountNumber: '6216610100009876543' },
  });
  expect(asked.status()).toBe(202);
  await page.reload();
  const changes = page.locator('[data-test=bank-changes]');
  const row = changes.getByRole('row').filter({ hasText: shopName });
  await expect(row).toContainText('6228 **** **** 2223');
  await expect(row).toContainText('6216 **** **** 6543');
  // Both holders (李四 now, 张三 asked for) are other than the licence's name.
  await expect(row.locator('[data-test=holder-differs]')).toHaveCount(2);
  await lookAtBothWidths(page, 'console-bank-changes', ['[data-test=bank-changes]']);
  await row.getByRole('button', { name: '审核' }).click();
  const dialog = page.getByRole('dialog', { name: `审核「${shopName}」的收款账户变更` });
  await dialog.getByRole('radio', { name: '驳回' }).click({ force: true });
  await page.locator('#change-reason').fill('户名与营业执照不一致');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(`已驳回「${shopName}」的收款账户变更，原账户不变`)).toBeVisible();
  await expect(changes.getByRole('row').filter({ hasText: shopName })).toHaveCount(0);
  await expect(dialog).toBeHidden();

  // The record keeps the change, who decided it (by name) and why; the account is unchanged.
  await page.locator('#m-status').click({ force: true });
  await page.getByRole('option', { name: '已通过' }).click();
  await page.locator('#m-name').fill(shopName);
  await page.getByRole('button', { name: '筛选' }).click();
  await page.locator('[data-test=merchants]').getByRole('button', { name: shopName }).click();
  await expect(record.locator('[data-test=record-changes]')).toContainText('已驳回 · 市商务局 演示 A');
  await expect(record.locator('[data-test=record-changes]')).toContainText('户名与营业执照不一致');
  await expect(record.locator('[data-test=review-history]')).toContainText('市商务局 演示 A');
  await expect(record.locator('[data-test=record-account]')).toContainText('6228 **** **** 2223');
  // The record with a decided change: at 360 px one card a change, its status and reason on it (scrolled to, for the screenshots).
  // The drawer swaps its table for a list of cards at that width: the scroll waits for the list, not the table it replaces.
  await page.setViewportSize(PHONE);
  const changeCards = record.locator('ul[data-test=record-changes]');
  await expect(changeCards).toBeVisible();
  await changeCards.scrollIntoViewIfNeeded();
  await lookAtBothWidths(page, 'console-merchant-record-changes', ['[data-test=merchant-record]']);
  // The 409 is the refusal the test provoked; the browser logs it as a failed request.
  expect(seen.errors.filter((error) => !/status of 409\b/.test(error))).toEqual([]);
});

test('a commerce official sees campaigns (with live stock) and the merchants review queue', async ({ page }) => {
  const seen = watchErrors(page);
  await signInOfficial(page, 'COMMERCE_A');
  await page.goto('/console/#/campaigns');
  await expect(page.locator('[data-test=campaigns]')).toContainText('宁波消费券');
  await lookAtBothWidths(page, 'console-campaigns', ['main']);

  await page.locator('[data-test=campaigns] a').first().click();
  await expect(page.locator('[data-test=campaign-status]')).toBeVisible();
  await expect(page.getByText('实时库存').first()).toBeVisible();
  await lookAtBothWidths(page, 'console-campaign', ['main']);

  await page.goto('/console/#/campaigns/new');
  await expect(page.locator('#c-name')).toBeVisible();
  await lookAtBothWidths(page, 'console-campaign-new');

  await page.goto('/console/#/merchants');
  await expect(page.locator('[data-test=merchants]')).toBeVisible();
  await lookAtBothWidths(page, 'console-merchants', ['main']);

  // In English the header's words are longer: it still fits a phone, the switch back included.
  await page.getByRole('button', { name: '切换语言' }).click();
  await expect(page.getByRole('heading', { name: 'Merchant review' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change language' })).toBeVisible();
  await lookAtBothWidths(page, 'console-merchants-en', ['main']);
  expect(seen.errors).toEqual([]);
});

test('an auditor sees the figures (overview, daily chart, league table) and the settlement batches', async ({ page }) => {
  const seen = watchErrors(page);
  await signInOfficial(page, 'AUDITOR_A');
  await page.goto('/console/#/figures');
  await expect(page.locator('[data-test=overview]')).toContainText('拉动比');
  await expect(page.locator('canvas').first()).toBeVisible();
  await expect(page.locator('[data-test=league]')).toContainText('海曙区');
  await lookAtBothWidths(page, 'console-figures', ['main']);

  await page.goto('/console/#/settlement');
  await expect(page.locator('[data-test=batches]')).toBeVisible();
  await lookAtBothWidths(page, 'console-settlement-auditor', ['main']);

  // At 360 px the side menu folds into a drawer behind the menu button.
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: '打开菜单' }).click();
  const drawerMenu = page.getByRole('dialog').getByRole('menuitem', { name: '数据看板' });
  await expect(drawerMenu).toBeVisible();
  await expectAccessible(page, 'the menu drawer at 360 px');
  await screenshot(page, 'console-menu-open');
  await drawerMenu.click();
  await expect(page).toHaveURL(/#\/figures$/);
  expect(seen.errors).toEqual([]);
});

test("a district finance official's console: the district's figures, no settlement in the menu or by its address", async ({ page }) => {
  const seen = watchErrors(page);
  await signInOfficial(page, 'FINANCE_HAISHU');
  // The first (and only) page of the menu: the figures, of haishu alone.
  await expect(page).toHaveURL(/#\/figures$/);
  await expect(page.locator('[data-test=overview]')).toBeVisible();
  await expect(page.getByRole('menuitem', { name: '数据看板' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: '资金结算' })).toHaveCount(0);
  await lookAtBothWidths(page, 'console-district-finance', ['main']);
  // A bookmark to settlement lands on the figures instead of a page that can only be refused.
  await page.goto('/console/#/settlement');
  await expect(page).toHaveURL(/#\/figures$/);
  expect(seen.errors).toEqual([]);
});

test('a page opened before a new version was deployed loads the new one when its next page is gone', async ({ page }) => {
  const seen = watchErrors(page);
  await signInOfficial(page, 'COMMERCE_A');
  await page.goto('/console/#/campaigns');
  await expect(page.locator('[data-test=campaigns]')).toBeVisible();
  // The deploy replaced the merchants page's chunk: the name this page knows answers 404 until
  // the page asks for its document again (a reload: the request comes before any of its chunks').
  let reloaded = false;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.resourceType() === 'document') reloaded = true;
  });
  await page.route('**/assets/MerchantsPage-*.js', (route) => (reloaded ? route.continue() : route.fulfill({ status: 404, body: 'gone' })));
  await page.getByRole('menuitem', { name: '商户审核' }).click();
  await expect(page).toHaveURL(/#\/merchants$/);
  await expect(page.locator('[data-test=merchants]')).toBeVisible();
  expect(reloaded).toBe(true);
  expect(seen.errors.filter((error) => !/status of 404\b|dynamically imported module/.test(error))).toEqual([]);
});
