// A resident signed in under an older privacy notice than the one in force (here: their consent
// on record moved back to an older version) is shown the new notice over the page, once, with no
// way past it but a choice: agreeing records the consent and the page goes on (a reload asks the
// server nothing more); declining signs this phone out. Looked at (axe, screenshot) at 360 px
// and 1280 px.
import { expect, test, type Page } from '@playwright/test';
import { PRIVACY_NOTICE_VERSION } from '../../apps/web/src/h5/privacy-notice';
import { signInResident } from './support/h5-resident';
import { inRunDatabase } from './support/run-database';
import { lookAtBothWidths, PHONE, watchErrors } from './support/page-checks';

test.use({ viewport: PHONE });

/** As if the resident had signed in under an older notice: their consent on record is to 2026-01-01, and this phone saw no other. */
async function agreedOnlyToAnOlderNotice(page: Page, residentId: string): Promise<void> {
  await inRunDatabase((db) =>
    db.query(`UPDATE resident_consents SET version = '2026-01-01' WHERE kind = 'privacy_notice' AND resident_id = (SELECT id FROM residents WHERE public_id = $1)`, [
      residentId,
    ]),
  );
  await page.evaluate("localStorage.removeItem('vouchers.h5.noticeAgreed')");
}

const noticeVersionsOf = (residentId: string): Promise<string[]> =>
  inRunDatabase(async (db) =>
    (
      await db.query(
        `SELECT version FROM resident_consents WHERE kind = 'privacy_notice' AND resident_id = (SELECT id FROM residents WHERE public_id = $1) ORDER BY version`,
        [residentId],
      )
    ).rows.map((row: { version: string }) => row.version),
  );

test('a resident signed in under an older notice is shown the new one once: agreeing goes on, declining signs this phone out', async ({ page }) => {
  const seen = watchErrors(page);
  await signInResident(page);
  const residentId = await page.evaluate<string>("JSON.parse(localStorage.getItem('vouchers.h5.resident')).id");
  let consentReads = 0;
  page.on('request', (sent) => {
    if (sent.url().endsWith('/v1/residents/me/consents') && sent.method() === 'GET') consentReads += 1;
  });
  // Signed in here just now: the page asks the server nothing about the notice.
  await page.goto('/h5/#/vouchers');
  await page.reload();
  await expect(page.locator('[data-test=account]')).toBeVisible();
  expect(consentReads).toBe(0);

  await agreedOnlyToAnOlderNotice(page, residentId);
  await page.reload();
  const sheet = page.locator('[data-test=notice-update]');
  await expect(sheet).toBeVisible();
  await expect(sheet.locator('[data-test=notice-update-intro]')).toContainText(`版本 ${PRIVACY_NOTICE_VERSION}`);
  await expect(sheet.locator('[data-test=privacy-version]')).toContainText(PRIVACY_NOTICE_VERSION);
  await lookAtBothWidths(page, 'h5-notice-updated');
  await page.setViewportSize(PHONE);
  // A tap outside does not close it: the resident chooses.
  await page.mouse.click(180, 20);
  await expect(sheet).toBeVisible();
  await sheet.locator('[data-test=notice-agree]').click();
  await expect(sheet).toBeHidden();
  expect(await noticeVersionsOf(residentId)).toEqual(['2026-01-01', PRIVACY_NOTICE_VERSION]);
  // Agreed here: the next load asks nothing and shows nothing.
  const readsBefore = consentReads;
  await page.reload();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await expect(sheet).toHaveCount(0);
  expect(consentReads).toBe(readsBefore);

  // Declining signs this phone out; the account and its consents stay as they were.
  await inRunDatabase((db) =>
    db.query(`DELETE FROM resident_consents WHERE kind = 'privacy_notice' AND version = $2 AND resident_id = (SELECT id FROM residents WHERE public_id = $1)`, [
      residentId,
      PRIVACY_NOTICE_VERSION,
    ]),
  );
  await agreedOnlyToAnOlderNotice(page, residentId);
  await page.reload();
  await expect(sheet).toBeVisible();
  await sheet.locator('[data-test=notice-decline]').click();
  await expect(sheet).toBeHidden();
  await expect(page.getByRole('button', { name: '退出登录' })).toHaveCount(0);
  expect(await page.evaluate("localStorage.getItem('vouchers.h5.resident')")).toBeNull();
  expect(await noticeVersionsOf(residentId)).toEqual(['2026-01-01']);
  expect(seen.errors).toEqual([]);
});
