// The platform end to end, through its three fronts: a new resident signs in on the H5,
// verifies the real name, grabs in the demo's open round and opens the checkout code; a
// cashier's till scans that code from the camera (Chromium's fake capture device playing a
// video of it, decoded by the till's real scanner) and redeems it. Then the officials' console
// settles the demo day with four eyes: FINANCE_A signs in (password and the authenticator's
// code) and submits the batch of the demo's seeded yesterday (复核); FINANCE_A may not approve
// it (the refusal in words); FINANCE_B, in a second browser context, approves it (审批),
// downloads the payout file and uploads the bank's results; the batch reconciles.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { browserWithQrCamera, readableTilts } from './support/camera';
import { approveBatch, batchStatus, beijingYesterday, signInOfficial, submitDayBatch } from './support/console-officials';
import { checkoutCodeOfNewResident, openCheckoutCode } from './support/h5-resident';
import { lookAtBothWidths, watchErrors } from './support/page-checks';
import { DEMO_STAFF, redeemAtTill, signInAtTill } from './support/till';

test.describe.configure({ mode: 'serial' });

test('a resident grabs on the H5 and a cashier scans the code with the till camera and redeems it', async ({ page }) => {
  const residentSeen = watchErrors(page);
  // The till first (its camera shows a blank page until the resident's code is in front of it).
  const camera = await browserWithQrCamera();
  try {
    const till = await camera.context.newPage();
    const tillSeen = watchErrors(till);
    await signInAtTill(till, DEMO_STAFF.CASHIER_BEILUN);

    // The resident keeps the code on screen, as at a real till.
    let code = await checkoutCodeOfNewResident(page, { stayOnCode: true });
    // A code none of whose tilts the scanner's decoder reads (about one in two hundred) is
    // refreshed, as a resident whose code does not scan would refresh it.
    for (let tries = 1; readableTilts(code) === 0 && tries < 5; tries++) code = await openCheckoutCode(page);
    camera.show(code);
    // 满40减10 on a ¥50 order.
    const sale = await redeemAtTill(till, { amountYuan: '50' });
    await expect(till.locator('#till-code')).toHaveValue(code);
    expect(sale).toMatchObject({ discount: '¥10.00', payable: '¥40.00' });
    await lookAtBothWidths(till, 'journey-till-redeemed');

    // The resident's code page learns it within seconds, not at the code's next renewal.
    await expect(page.locator('[data-test=code-redeemed]')).toContainText('收银员已扫码：这张券抵扣了 ¥10.00', { timeout: 10_000 });
    await expect(page.locator('[data-test=qr]')).toHaveCount(0);
    await lookAtBothWidths(page, 'journey-h5-code-redeemed');

    // The resident sees the voucher used (the list is read again on a fresh load).
    await page.goto('/h5/#/vouchers');
    await page.reload();
    await expect(page.locator('[data-test=voucher][data-status=redeemed]').first()).toBeVisible();
    await lookAtBothWidths(page, 'journey-h5-redeemed');
    expect(tillSeen.errors).toEqual([]);
    expect(residentSeen.errors).toEqual([]);
  } finally {
    await camera.browser.close();
  }
});

/** The refusals this journey asks for on purpose (four eyes: 403) are logged by the browser as failed requests. */
const unexpected = (errors: string[]) => errors.filter((error) => !/status of 403\b/.test(error));

test('FINANCE_A submits the demo day, is refused approving it (four eyes), FINANCE_B approves it and pays it', async ({ browser }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const pageA = await contextA.newPage();
  const pageB = await contextB.newPage();
  const seenA = watchErrors(pageA);
  const seenB = watchErrors(pageB);

  await signInOfficial(pageA, 'FINANCE_A');
  await pageA.goto('/console/#/settlement');
  await expect(pageA.locator('[data-test=batches]')).toBeVisible();
  const batchUrl = await submitDayBatch(pageA, beijingYesterday());
  await expect(pageA.locator('[data-test=batch-notice]')).toContainText('已提交审批');

  // Four eyes: the one who submitted it may not approve it, and is told why.
  await pageA.getByRole('button', { name: '审批通过' }).click();
  await expect(pageA.locator('[data-test=batch-refusal]')).toContainText('四眼原则');
  await expect(batchStatus(pageA)).toHaveAttribute('data-status', 'submitted');
  await lookAtBothWidths(pageA, 'console-batch-four-eyes', ['main']);

  await signInOfficial(pageB, 'FINANCE_B');
  await approveBatch(pageB, batchUrl);

  // 11-13: the payout file, the bank's results (every line paid), the reconciliation.
  const downloading = pageB.waitForEvent('download');
  await pageB.getByRole('button', { name: '下载付款文件' }).first().click();
  const payout = readFileSync(await (await downloading).path(), 'utf8').replace(/^\uFEFF/, '');
  await expect(batchStatus(pageB)).toHaveAttribute('data-status', 'paying');
  const lineIds = payout.trim().split('\n').slice(1).map((row) => row.split(',')[0]);
  expect(lineIds.length).toBeGreaterThan(0);
  const results = ['line_id,result,reason', ...lineIds.map((id) => `${id},paid,`)].join('\n');
  await pageB.locator('input[type=file]').setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: Buffer.from(results) });
  await pageB.getByRole('button', { name: '上传银行回盘' }).click();
  await expect(batchStatus(pageB)).toHaveAttribute('data-status', 'paid');
  await pageB.getByRole('button', { name: '运行对账' }).click();
  await expect(pageB.locator('[data-test=mismatches]')).toContainText('没有差异');
  // Four eyes, by name: the two officials' ids begin alike.
  await expect(pageB.locator('[data-test=batch-actors]')).toContainText('复核提交人: 市财政局 演示 A');
  await expect(pageB.locator('[data-test=batch-actors]')).toContainText('审批人: 市财政局 演示 B');
  await lookAtBothWidths(pageB, 'console-batch-paid', ['main']);
  // The same reconciliation with a difference put into its answer (a real one needs a broken ledger): at 360 px one card a difference.
  const reconciliation = '**/api/settlement/v1/settlement/batches/*/reconciliation';
  await pageB.route(reconciliation, async (route) => {
    const answer = (await (await route.fetch()).json()) as { mismatches: number; checks: { postings: { count: number; differences: unknown[] } } };
    answer.mismatches = 1;
    answer.checks.postings.count = 1;
    answer.checks.postings.differences = [{ kind: 'unbalanced', refType: 'redemption', refId: '0b7f9c3e-5d1a-4c2b-9e8f-1a2b3c4d5e6f', expected: 300, actual: 200, unit: 'fen' }];
    await route.fulfill({ json: answer });
  });
  await pageB.getByRole('button', { name: '运行对账' }).click();
  await expect(pageB.locator('[data-test=differences]')).toContainText('unbalanced');
  await lookAtBothWidths(pageB, 'console-batch-differences', ['main']);
  await pageB.unroute(reconciliation);

  await pageB.goto('/console/#/settlement');
  await expect(pageB.locator('[data-test=batches]')).toContainText(beijingYesterday());
  await lookAtBothWidths(pageB, 'console-settlement', ['main']);

  // Building the same day again opens its batch, and says it was built before.
  await pageB.locator('#business-date').fill(beijingYesterday());
  await pageB.locator('#business-date').press('Enter');
  await pageB.getByRole('button', { name: `生成 ${beijingYesterday()} 的结算批次` }).click();
  await expect(pageB.locator('[data-test=batch-notice]')).toContainText('之前已经生成过');
  await expect(batchStatus(pageB)).toHaveAttribute('data-status', 'paid');

  expect(unexpected(seenA.errors)).toEqual([]);
  expect(seenB.errors).toEqual([]);
  await contextA.close();
  await contextB.close();
});
