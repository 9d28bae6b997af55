// 审计日志 in the officials' console. Entries with known actions are made first through the
// API: COMMERCE_A creates a draft campaign and ends it with a reason (campaign.create,
// campaign.transition), and a shop registers (merchant.register). An auditor, whose first page
// the trail is, reads it newest first, filters by action, opens an entry's detail, exports the
// filtered trail as CSV (and finds the export recorded in turn), reads an account's change
// (ADMIN_A's, made through the API) in words, and follows a merchant entry
// to the merchant's record and back. A district commerce official has no trail (the API
// refuses district tokens), in the menu or by its address; a city-wide one has it and follows
// an entry to the campaign's page.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { demoOfficial, freshTotpCode, signInOfficial, type DemoOfficialKey } from './support/console-officials';
import { lookAtBothWidths, watchErrors } from './support/page-checks';

/** An access token of a demo official, signed in through the API with a code not used yet. */
async function officialToken(request: APIRequestContext, key: DemoOfficialKey): Promise<string> {
  const official = demoOfficial(key);
  for (let attempt = 0; ; attempt++) {
    const answer = await request.post('/api/settlement/v1/official-auth/sign-in', {
      data: { phone: official.phone, password: official.password, totpCode: await freshTotpCode(official) },
    });
    if (answer.ok()) return ((await answer.json()) as { accessToken: string }).accessToken;
    // Another sign-in took this code's step: freshTotpCode gives the next one.
    if (attempt === 1) throw new Error(`${key} did not sign in: ${answer.status()} ${await answer.text()}`);
  }
}

/** COMMERCE_A creates a draft campaign and ends it with `reason`: answers its id and name. */
async function endedDraft(request: APIRequestContext, reason: string): Promise<{ id: string; name: string }> {
  const headers = { authorization: `Bearer ${await officialToken(request, 'COMMERCE_A')}` };
  const name = `审计测试活动 ${Date.now() % 1_000_000}`;
  const created = await request.post('/api/issuance/v1/admin/campaigns', {
    headers,
    data: {
      name, categories: ['dining'], districts: [], budgetFen: 100_000, cityShareBp: 5000, validityDays: 7, perPersonLimit: 1, returnsToPool: false,
      voucherTypes: [{ name: '满40减10', faceValueFen: 1000, thresholdFen: 4000, rounds: [{ opensAt: new Date(Date.now() + 86_400_000).toISOString(), quantity: 5 }] }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const ended = await request.post(`/api/issuance/v1/admin/campaigns/${id}/transitions`, { headers, data: { to: 'ended', reason } });
  expect(ended.ok(), await ended.text()).toBe(true);
  return { id, name };
}

/** ADMIN_A creates a city-wide commerce official's account, then makes it Haishu's finance official: answers its name. */
async function changedAccount(request: APIRequestContext): Promise<string> {
  const headers = { authorization: `Bearer ${await officialToken(request, 'ADMIN_A')}` };
  const name = `审计测试 账号 ${Date.now() % 100_000}`;
  const created = await request.post('/api/settlement/v1/officials', {
    headers,
    data: { phone: `137${String(Date.now() % 100_000_000).padStart(8, '0')}`, name, role: 'commerce_official' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { official } = (await created.json()) as { official: { id: string } };
  const changed = await request.patch(`/api/settlement/v1/officials/${official.id}`, { headers, data: { role: 'finance_official', district: 'haishu' } });
  expect(changed.ok(), await changed.text()).toBe(true);
  return name;
}

/** A shop registers itself (a code by SMS, the development echo): answers its shop name. */
async function registeredShop(request: APIRequestContext): Promise<string> {
  const phone = `136${String(Date.now() % 100_000_000).padStart(8, '0')}`;
  const sent = await request.post('/api/merchant/v1/merchant-auth/otp', { data: { phone } });
  expect(sent.status()).toBe(202);
  const { devCode } = (await sent.json()) as { devCode: string };
  const shopName = `审计测试小店 ${Date.now() % 100_000}`;
  const creditFirst17 = `91330200MA2F${String(Date.now() % 100_000).padStart(5, '0')}`;
  const registered = await request.post('/api/merchant/v1/merchant-registrations', {
    data: {
      phone, code: devCode, creditCode: `${creditFirst17}${creditCodeCheckChar(creditFirst17)}`, registeredName: '宁波审计测试有限公司', shopName,
      district: 'haishu', category: 'dining', address: '海曙区审计路 1 号', contactPhone: '0574-8765 0000',
      bankAccountName: '宁波审计测试有限公司', bankName: '宁波银行海曙支行', bankAccountNumber: '6223091010007654321',
    },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  return shopName;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { creditCodeCheckChar } = require('../../dist/libs/common/src/index.js') as { creditCodeCheckChar: (first17: string) => string };

const rows = (page: Page) => page.locator('[data-test=audit-entries] .el-table__row');

/** Chooses an action (by its words) in the chooser and filters. */
async function filterByAction(page: Page, words: string): Promise<void> {
  await page.locator('#a-action').click({ force: true });
  await page.getByRole('option', { name: words }).click();
  await page.getByRole('button', { name: '筛选', exact: true }).click();
}

test('an auditor reads the audit trail: newest first, by action, an entry’s detail, the CSV export (itself recorded), and a merchant’s record', async ({ page, request }) => {
  test.setTimeout(180_000);
  const seen = watchErrors(page);
  const reason = `审计页测试：活动取消 ${Date.now() % 100_000}`;
  await endedDraft(request, reason);
  const shopName = await registeredShop(request);

  // The trail is the auditor's first page.
  await signInOfficial(page, 'AUDITOR_A');
  await expect(page).toHaveURL(/#\/audit$/);
  await expect(page.getByRole('menuitem', { name: '审计日志' })).toBeVisible();
  // Newest first: the auditor's own sign-in, the shop's registration, then the campaign ended and created.
  await expect(rows(page).first()).toContainText('登录');
  await expect(rows(page).first()).toContainText('审计 演示 A');
  await expect(rows(page).nth(1)).toContainText('商户提交登记');
  // The shop by its name, its admin (no name given: 管理员) by the masked number and the shop, not by ids.
  await expect(rows(page).nth(1).locator('[data-test=audit-target-name]')).toHaveText(shopName);
  await expect(rows(page).nth(1).locator('td:nth-child(3)')).toContainText(new RegExp(`管理员 136\\*{4}\\d{4}（${shopName}）`));
  await expect(rows(page).nth(2)).toContainText('变更活动状态');
  await expect(rows(page).nth(2)).toContainText('市商务局 演示 A');
  await expect(rows(page).nth(3)).toContainText('创建活动');
  await lookAtBothWidths(page, 'console-audit');

  await filterByAction(page, '变更活动状态');
  await expect(page).toHaveURL(/action=campaign\.transition/);
  const transition = rows(page).first();
  await expect(transition).toContainText('市商务局 演示 A');
  await expect(transition).toContainText('商务局');
  await expect(transition).toContainText('活动');
  for (const action of await rows(page).locator('td:nth-child(4)').allInnerTexts()) expect(action).toBe('变更活动状态');
  // The detail on demand: the reason and the statuses in words, the codes beside them.
  await expect(page.locator('[data-test=audit-detail]')).toHaveCount(0);
  await transition.getByRole('button', { name: '详情' }).click();
  const detail = page.locator('[data-test=audit-detail]');
  await expect(detail).toContainText(reason);
  await expect(detail).toContainText('草稿 (draft)');
  await expect(detail).toContainText('已结束 (ended)');
  await expect(detail).toContainText('campaign.transition');
  await lookAtBothWidths(page, 'console-audit-detail');

  // The export of these filters: a CSV naming who acted.
  await expect(page.getByText('导出本身也会记入审计日志')).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
  expect(file.suggestedFilename()).toBe('audit-trail.csv');
  const lines = readFileSync(await file.path(), 'utf8').split('\r\n');
  expect(lines[0]).toBe('\ufeffid,at,actor_id,actor_role,action,target_type,target_id,request_id,detail,actor_name,target_name');
  expect(lines[1]).toContain(',commerce_official,campaign.transition,campaign,');
  // Who acted, then the campaign's name.
  expect(lines[1]).toMatch(/,市商务局 演示 A,审计测试活动 \d+$/);
  expect(lines[1]).toContain(reason);
  await expect(page.getByText('已开始下载；这次导出已记入审计日志。')).toBeVisible();
  // …and the export is an entry in turn: who, and with which filters.
  await filterByAction(page, '审计日志导出');
  const exported = rows(page).first();
  await expect(exported).toContainText('导出审计日志');
  await expect(exported).toContainText('审计 演示 A');
  await exported.getByRole('button', { name: '详情' }).click();
  await expect(page.locator('[data-test=audit-detail-group]')).toContainText('动作：变更活动状态');

  // An account's change reads in words: the account by its holder's name, each field changed from and to.
  const account = await changedAccount(request);
  await filterByAction(page, '修改工作人员账号');
  const change = rows(page).first();
  await expect(change.locator('[data-test=audit-target-name]')).toHaveText(account);
  await change.getByRole('button', { name: '详情' }).click();
  const fields = page.locator('[data-test=audit-detail-group]');
  await expect(fields).toContainText('角色：由 商务局 改为 财政局');
  await expect(fields).toContainText('区县：由 全市 改为 海曙区');
  await expect(fields).toContainText(`姓名：${account}（未改）`);
  await expect(page.locator('[data-test=audit-detail] dl.recorded')).not.toContainText('commerce_official');
  await lookAtBothWidths(page, 'console-audit-account-change');

  // A merchant's entry opens the merchant's record; the way back finds the filters kept.
  await filterByAction(page, '商户提交登记');
  await rows(page).first().locator('[data-test=audit-target-link]').click();
  await expect(page).toHaveURL(/#\/merchants\?merchant=[0-9a-f-]{36}$/);
  await expect(page.locator('[data-test=merchant-record]')).toContainText('宁波审计测试有限公司');
  await expect(page.locator('[data-test=merchant-record]')).toContainText(shopName);
  await page.goBack();
  await expect(page).toHaveURL(/#\/audit\?action=merchant\.register$/);
  await expect(rows(page).first()).toContainText('商户提交登记');
  await expect(page.locator('.el-select', { has: page.locator('#a-action') })).toContainText('商户提交登记');

  // In English too.
  await page.getByRole('button', { name: '切换语言' }).click();
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  await expect(rows(page).first()).toContainText('Merchant registered');
  await expect(rows(page).first()).toContainText('Merchant admin');
  await lookAtBothWidths(page, 'console-audit-en');
  expect(seen.errors).toEqual([]);
});

test('a district commerce official has no audit trail, in the menu or by its address; a city-wide one follows an entry to its campaign', async ({ page, request }) => {
  test.setTimeout(150_000);
  const seen = watchErrors(page);
  const campaign = await endedDraft(request, '审计页测试：跟随链接');

  await signInOfficial(page, 'COMMERCE_HAISHU');
  await expect(page.getByRole('menuitem', { name: '活动管理' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: '审计日志' })).toHaveCount(0);
  await page.goto('/console/#/audit');
  await expect(page).toHaveURL(/#\/campaigns$/);

  await signInOfficial(page, 'COMMERCE_A');
  await page.getByRole('menuitem', { name: '审计日志' }).click();
  await expect(page).toHaveURL(/#\/audit$/);
  await filterByAction(page, '变更活动状态');
  const moved = rows(page).first();
  await expect(moved).toContainText('市商务局 演示 A');
  await expect(moved.locator('[data-test=audit-target-link]')).toHaveText(campaign.id);
  // The campaign is named as well as linked.
  await expect(moved).toContainText(campaign.name);
  await moved.locator('[data-test=audit-target-link]').click();
  await expect(page).toHaveURL(new RegExp(`#/campaigns/${campaign.id}$`));
  await expect(page.getByRole('heading', { name: campaign.name })).toBeVisible();

  // A typo is said beside the form, not sent; a subject with no entries says so; a failure says so and is tried again.
  await page.goto('/console/#/audit');
  await page.locator('#a-actor').fill('not an id');
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page.locator('[data-test=audit-problem]')).toHaveText('操作人编号只能包含字母、数字和 _ . : -，最多 64 个字符。');
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(page.locator('[data-test=audit-problem]')).toHaveCount(0);
  await page.goto('/console/#/audit?targetType=campaign&targetId=00000000-0000-7000-8000-000000000000');
  await expect(page.locator('[data-test=audit-entries]')).toContainText('没有符合这些筛选条件的记录');
  await page.route('**/api/settlement/v1/audit/entries?*', (route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'down', requestId: 'r' }) }),
  );
  await page.getByRole('button', { name: '清除筛选' }).click();
  await expect(page.locator('[data-test=audit-error]')).toContainText('服务暂时不可用，请稍后再试。');
  await page.unroute('**/api/settlement/v1/audit/entries?*');
  await page.locator('[data-test=audit-error]').getByRole('button', { name: '重试' }).click();
  await expect(page.locator('[data-test=audit-error]')).toHaveCount(0);
  // The newest entry again: COMMERCE_A's sign-in above.
  await expect(rows(page).first()).toContainText('登录');
  await expect(rows(page).first()).toContainText('市商务局 演示 A');
  expect(seen.errors).toEqual([]);
});
