// The residents' H5, as a resident uses it: sign in with the SMS code, a wrong ID number told
// plainly and then the right one, a grab in the demo's open round that is first answered 429
// (waited out and tried again, said in words, no JavaScript error), the voucher in My vouchers,
// its checkout code as a QR code whose countdown runs, and where it can be used. Each main page
// is looked at (axe, screenshot) at 360 px and 1280 px.
import { expect, test } from '@playwright/test';
import { checkoutCodeOfNewResident, newIdNumber, newPhone, signInResident, verifyRealName } from './support/h5-resident';
import { LOTTERY_SOURCE, openLotteryRound } from './support/lottery-round';
import { DEMO_CAMPAIGN } from './support/resident-voucher';
import { lookAtBothWidths, PHONE, watchErrors } from './support/page-checks';

test.use({ viewport: PHONE });

test('a resident signs in, verifies, grabs through a 429, and shows the voucher as a QR code', async ({ page }) => {
  const seen = watchErrors(page);

  await page.goto('/h5/');
  await expect(page.locator('[data-test=campaign]').first()).toBeVisible();
  await expect(page.locator('[data-test=stock]').first()).toContainText(/剩余 \d+ \/ \d+ 张/);
  // The demo's voucher types each have a later round: its countdown runs.
  await expect(page.getByRole('timer').first()).toContainText(/\d{2}:\d{2}:\d{2}/);
  await lookAtBothWidths(page, 'h5-campaigns');

  await page.goto('/h5/#/sign-in');
  await lookAtBothWidths(page, 'h5-sign-in');
  // No code goes out before the resident agrees to the privacy notice, which the link beside the box opens.
  let codesAsked = 0;
  page.on('request', (sent) => {
    if (sent.url().endsWith('/v1/auth/otp')) codesAsked += 1;
  });
  const typed = newPhone();
  await page.getByLabel(/手机号/).fill(typed);
  await page.locator('[data-test=send-code]').click();
  await expect(page.locator('[data-test=consent-error]')).toHaveText('请先阅读并勾选同意《个人信息保护说明》。');
  // The notice opens over the form, and closing it leaves the form as it was (the number typed stays).
  await page.locator('[data-test=privacy-consent-link]').click();
  const sheet = page.locator('[data-test=privacy-sheet]');
  await expect(sheet).toBeVisible();
  await expect(sheet.locator('[data-test=privacy]')).toContainText('身份证号的原号码不保存、不写入日志');
  await expect(sheet.locator('[data-test=privacy-version]')).toHaveText(/^版本 \d{4}-\d{2}-\d{2}$/);
  await lookAtBothWidths(page, 'h5-privacy');
  await page.locator('[data-test=privacy-sheet-close]').click();
  await expect(sheet).toBeHidden();
  // A tap on the page above the sheet closes it as well.
  await page.locator('[data-test=privacy-consent-link]').click();
  await expect(sheet).toBeVisible();
  await page.mouse.click(20, 20);
  await expect(sheet).toBeHidden();
  await expect(page).toHaveURL(/#\/sign-in$/);
  await expect(page.getByLabel(/手机号/)).toHaveValue(typed);
  await expect(page.locator('[data-test=privacy-consent-box]')).not.toBeChecked();
  expect(codesAsked).toBe(0);
  await signInResident(page);

  // A wrong check character first: the page says which part is wrong.
  const id = newIdNumber();
  await page.getByLabel(/姓名/).fill('陈小明');
  await page.getByLabel(/身份证号/).fill(id.wrongCheck);
  await page.locator('[data-test=verify]').click();
  await expect(page.locator('[data-test=real-name-error]')).toHaveText('身份证号的最后一位校验码不对，请逐位核对。');
  await lookAtBothWidths(page, 'h5-real-name');
  // A well-formed number still waits for the consent to handle the name and ID number.
  await page.getByLabel(/身份证号/).fill(id.valid);
  await page.locator('[data-test=verify]').click();
  await expect(page.locator('[data-test=consent-error]')).toHaveText('请先勾选同意处理您的姓名和身份证号。');
  await expect(page.locator('[data-test=real-name-done]')).toHaveCount(0);
  await verifyRealName(page, id.valid);

  // The first grab is answered 429 with Retry-After: 1; the page waits it out and tries again.
  let refused = 0;
  await page.route('**/api/issuance/v1/rounds/*/claims', async (route) => {
    if (refused > 0) return route.fallback();
    refused += 1;
    await route.fulfill({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '1' },
      body: JSON.stringify({ code: 'RATE_LIMITED', message: 'Too many grabs' }),
    });
  });
  const grab = page.locator('[data-main-control]');
  await expect(grab).toBeEnabled();
  await grab.click();
  // Pressed again at once: the button is busy, the press goes nowhere.
  await grab.click({ force: true, timeout: 2000 }).catch(() => undefined);
  await expect(page.locator('[data-test=grab-waiting]')).toContainText(/秒后自动重试/);
  await expect(page.locator('[data-test=grab-outcome]')).toHaveAttribute('data-outcome', 'claimed', { timeout: 20_000 });
  await expect(page.locator('[data-test=grab-outcome]')).toContainText('抢到了');
  // The button says it is done, and still does after a reload (not an inviting 立即抢券).
  const gotIt = page.locator('[data-test=grab]', { hasText: '已领到' });
  await expect(gotIt).toBeDisabled();
  await page.reload();
  await expect(gotIt).toBeDisabled();
  await expect(page.locator('[data-test=grab-held]')).toContainText('在“我的券”里');
  expect(refused).toBe(1);
  await lookAtBothWidths(page, 'h5-grabbed');

  await page.goto('/h5/#/vouchers');
  const voucher = page.locator('[data-test=voucher][data-status=claimed]');
  await expect(voucher).toHaveCount(1);
  await expect(voucher).toContainText('满40减10');
  await lookAtBothWidths(page, 'h5-vouchers');

  // A tab tapped while the last tab's page is still on its way: the late answer is dropped.
  const unused = '**/v1/me/vouchers?*status=claimed*';
  await page.route(unused, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const late = page.waitForResponse(/status=claimed/);
  await page.locator('[data-test=status-claimed]').click();
  await page.locator('[data-test=status-redeemed]').click();
  await late;
  // Two frames: the late answer, had it been taken, is on the screen.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await expect(page.locator('[data-test=status-redeemed]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-test=voucher]')).toHaveCount(0);
  await page.unroute(unused);
  await page.locator('[data-test=status-all]').click();
  await expect(voucher).toHaveCount(1);

  await voucher.locator('[data-test=show-code]').click();
  const qr = page.locator('[data-test=qr]');
  await expect(qr).toBeVisible();
  // The QR code is a drawn image, not an empty box: loaded, and of its full size.
  const drawn = await qr.evaluate((element) => {
    const image = element as unknown as { complete: boolean; naturalWidth: number };
    return image.complete && image.naturalWidth > 100;
  });
  expect(drawn).toBe(true);
  const countdown = page.locator('[data-test=code-countdown]');
  const first = Number(await countdown.getAttribute('data-seconds'));
  expect(first).toBeGreaterThan(10);
  await expect.poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 5000 }).toBeLessThan(first);
  expect((await page.locator('[data-test=code-text]').textContent())?.trim()).not.toBe('');
  await lookAtBothWidths(page, 'h5-checkout-code');

  // A renewal meets a busy service: the code still good stays up, and the page says it tries again.
  let asked = 0;
  await page.route('**/v1/me/vouchers/*/code', (route) =>
    asked++ === 0
      ? route.fulfill({ status: 503, headers: { 'retry-after': '2' }, contentType: 'application/json', body: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'busy', requestId: 'x' }) })
      : route.continue(),
  );
  await page.getByRole('button', { name: '立即刷新' }).click();
  await expect(page.locator('[data-test=code-retrying]')).toContainText('秒后重新获取付款码');
  await expect(qr).toBeVisible();
  await lookAtBothWidths(page, 'h5-checkout-code-retrying');
  await expect(page.locator('[data-test=code-countdown]')).toBeVisible({ timeout: 10_000 });
  expect(asked).toBe(2);
  // A server failure (500) while the code shown is still good: it stays up too, and the page tries again.
  await page.unroute('**/v1/me/vouchers/*/code');
  await page.route('**/v1/me/vouchers/*/code', (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'INTERNAL_ERROR', message: 'failed', requestId: 'x' }) }),
  );
  await page.getByRole('button', { name: '立即刷新' }).click();
  await expect(page.locator('[data-test=code-retrying]')).toBeVisible();
  await expect(qr).toBeVisible();
  // The cashier has scanned it: the next renewal hears the voucher is redeemed, and says so as good news.
  await page.unroute('**/v1/me/vouchers/*/code');
  await page.route('**/v1/me/vouchers/*/code', (route) =>
    route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ code: 'VOUCHER_NOT_USABLE', message: 'redeemed', requestId: 'x', details: { status: 'redeemed' } }) }),
  );
  await page.getByRole('button', { name: '立即刷新' }).click();
  await expect(page.locator('[data-test=code-problem]')).toHaveText('这张券已核销。');
  await page.unroute('**/v1/me/vouchers/*/code');
  seen.errors = seen.errors.filter((error) => !/status of (503|409|500)\b/.test(error));

  await page.goto('/h5/#/merchants');
  const shop = (name: string) => page.locator('[data-test=merchant]').filter({ hasText: name });
  // The demo campaign, by name: other tests of the run publish campaigns of their own (a lottery
  // campaign for dining only), and the page starts on whichever the list gives first.
  await page.locator('[data-test=campaign-filter]').selectOption({ label: DEMO_CAMPAIGN });
  await expect(shop('江北湾超市')).toHaveCount(1);
  // Dining only: the demo's dining shop stays, its supermarket goes (other tests of the run may approve more dining shops).
  await page.locator('[data-test=category-filter]').selectOption('dining');
  await expect(shop('江北湾超市')).toHaveCount(0);
  await expect(shop('甬城老字号汤团店')).toHaveCount(1);
  await lookAtBothWidths(page, 'h5-merchants');
  // Signed in and in English: the longest header (the name, the switch back, signing out) on one phone's width.
  await page.getByRole('button', { name: '切换到英文' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await lookAtBothWidths(page, 'h5-merchants-en');

  expect(seen.errors).toEqual([]);
});

test('with the location allowed, the merchants come nearest first with their distance', async ({ page, context }) => {
  const seen = watchErrors(page);
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 29.8683, longitude: 121.544 });
  await page.goto('/h5/#/merchants');
  await expect(page.locator('[data-test=merchant]').first()).toBeVisible();
  await expect(page.getByText('已按离你的距离排序')).toBeVisible();
  expect(seen.errors).toEqual([]);
});

test('the H5 speaks English when asked, and remembers it', async ({ page }) => {
  const seen = watchErrors(page);
  await page.goto('/h5/');
  await page.getByRole('button', { name: '切换到英文' }).click();
  await expect(page.getByRole('heading', { name: 'Voucher campaigns' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Voucher campaigns' })).toBeVisible();
  await lookAtBothWidths(page, 'h5-campaigns-en');
  expect(seen.errors).toEqual([]);
});

test('the journey helper answers a new resident’s checkout code, for the till', async ({ page }) => {
  const seen = watchErrors(page);
  const code = await checkoutCodeOfNewResident(page);
  expect(code.length).toBeGreaterThan(20);
  expect(code).not.toMatch(/\s/);
  expect(seen.errors).toEqual([]);
});

// Last in this file: it adds a campaign (of one lottery round, no grab round) to the run's demo data.
test('a verified resident signs up for a lottery round and sees its public value source, the commitment and their entry; paused, the page says so', async ({ page, request }) => {
  const seen = watchErrors(page);
  const lottery = await openLotteryRound(request);
  const roundId = lottery.roundId;
  await page.goto('/h5/');
  const link = page.locator(`a[href="#/lottery/${roundId}"]`);
  await expect(link).toBeVisible();
  await signInResident(page);
  await verifyRealName(page);
  await link.click();
  await expect(page.locator('[data-test=lottery-stage]')).toHaveText('报名中');
  await expect(page.locator('[data-test=commitment]')).toHaveText(/^[0-9a-f]{64}$/);
  // Where the draw's public value will come from, announced before sign-up, beside the commitment.
  await expect(page.getByRole('heading', { name: '开奖依据' })).toBeVisible();
  await expect(page.locator('[data-test=public-value-source]')).toHaveText(LOTTERY_SOURCE);
  await page.locator('[data-test=lottery-sign-up]').click();
  await expect(page.locator('[data-test=entry-hash]')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.locator('[data-test=entry-status]')).toHaveText('等待开奖。开奖后请回到这里查看结果，并留意短信通知。');
  await lookAtBothWidths(page, 'h5-lottery');
  // As on another phone of the same resident, where no sign-up was remembered (the page kept one, once): the entry is the server's.
  await page.evaluate("localStorage.removeItem('vouchers.h5.lottery-entries')");
  await page.reload();
  await expect(page.locator('[data-test=entry-hash]')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.locator('[data-test=lottery-sign-up]')).toHaveCount(0);
  // An entry that cannot be read now is not "no entry": said so, with a retry, and no second sign-up offered.
  await page.route('**/entries/mine', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'busy', requestId: 'x' }) }));
  await page.reload();
  await expect(page.locator('[data-test=entry-unread]')).toBeVisible();
  await expect(page.locator('[data-test=lottery-sign-up]')).toHaveCount(0);
  await page.unroute('**/entries/mine');
  await page.locator('[data-test=entry-unread]').getByRole('button').click();
  await expect(page.locator('[data-test=entry-hash]')).toHaveText(/^[0-9a-f]{64}$/);

  // On the campaigns list, its voucher (given by lottery only) is not "over" while its lottery shows; paused, the campaign says so.
  await page.goto('/h5/');
  const card = page.locator('[data-test=campaign]', { has: page.locator(`a[href="#/lottery/${roundId}"]`) });
  await expect(card).toBeVisible();
  await expect(card).not.toContainText('本券已无后续场次');
  await expect(card.locator('[data-test=campaign-paused]')).toHaveCount(0);
  await lottery.pauseCampaign();
  await page.reload();
  await expect(card.locator('[data-test=campaign-paused]')).toHaveText('活动已暂停，暂不能抢券；恢复后按原场次继续。');
  // Its lottery page says so in the same words, and what the pause means for the resident's entry (kept; the draw waits).
  await page.goto(`/h5/#/lottery/${roundId}`);
  // The stage line says the pause too, not plain "sign-up open" above the notice.
  await expect(page.locator('[data-test=lottery-stage]')).toHaveText('已暂停（报名中）');
  await expect(page.locator('[data-test=lottery-paused]')).toHaveText('活动已暂停，暂不能报名摇号；恢复后按原报名时间继续。');
  await expect(page.locator('[data-test=entry-hash]')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.locator('[data-test=entry-paused]')).toHaveText('你的报名仍然有效。活动暂停期间不开奖，恢复后才开奖，结果可能因此推迟。');
  await lookAtBothWidths(page, 'h5-lottery-paused');
  // Someone without an entry (signed out here) is offered no sign-up the API would refuse (409 CAMPAIGN_NOT_ACTIVE)...
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/#\/$/);
  await page.goto(`/h5/#/lottery/${roundId}`);
  await expect(page.locator('[data-test=lottery-paused]')).toBeVisible();
  await expect(page.locator('[data-test=lottery-stage]')).toHaveText('已暂停（报名中）');
  await expect(page.locator('[data-test=lottery-sign-up]')).toHaveCount(0);
  await lookAtBothWidths(page, 'h5-lottery-paused-visitor');
  // ...and once the campaign resumes, with sign-up still open, the button is back and the pause is no longer said.
  await lottery.resumeCampaign();
  await page.reload();
  await expect(page.locator('[data-test=lottery-sign-up]')).toBeVisible();
  await expect(page.locator('[data-test=lottery-paused]')).toHaveCount(0);
  await expect(page.locator('[data-test=lottery-stage]')).toHaveText('报名中');
  // A resident whose page was opened before a pause: their sign-up is refused (409 CAMPAIGN_NOT_ACTIVE), said so,
  // and the page reads the round again: the pause is said and the sign-up no longer offered.
  await signInResident(page);
  await verifyRealName(page);
  await page.goto(`/h5/#/lottery/${roundId}`);
  await expect(page.locator('[data-test=lottery-sign-up]')).toBeVisible();
  await lottery.pauseCampaign();
  await page.locator('[data-test=lottery-sign-up]').click();
  await expect(page.getByRole('alert')).toContainText('活动已暂停或结束。');
  await expect(page.locator('[data-test=lottery-paused]')).toBeVisible();
  await expect(page.locator('[data-test=lottery-stage]')).toHaveText('已暂停（报名中）');
  await expect(page.locator('[data-test=lottery-sign-up]')).toHaveCount(0);
  // Before signing up the page asked for the resident's entry: the 404 NOT_ENTERED is its answer, logged as a failed request; the 409 is the refused sign-up.
  expect(seen.errors.filter((error) => !/status of (404|409|503)\b/.test(error))).toEqual([]);
});
