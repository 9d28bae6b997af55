// Helpers for the officials' console in the browser tests, for these and the end-to-end journey:
// sign a demo official in as a person does (phone, password, the authenticator's current code),
// and settle a business day with four eyes (FINANCE_A checks and submits, FINANCE_B approves).
// The demo's officials and their TOTP secrets come from the compiled demo data (dist/, built
// before the browser tests run), the codes from @vouchers/officials' totpCodeOf.
import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface DemoOfficial {
  key: string;
  phone: string;
  name: string;
  password: string;
  totpSecret: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DEMO_OFFICIALS } = require(join(ROOT, 'dist/scripts/demo/demo-officials.js')) as { DEMO_OFFICIALS: DemoOfficial[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { totpCodeOf } = require(join(ROOT, 'dist/libs/officials/src/index.js')) as { totpCodeOf: (secret: string, epochSeconds?: number) => string };

export type DemoOfficialKey =
  | 'COMMERCE_A'
  | 'COMMERCE_B'
  | 'COMMERCE_HAISHU'
  | 'FINANCE_A'
  | 'FINANCE_B'
  | 'FINANCE_HAISHU'
  | 'AUDITOR_A'
  | 'AUDITOR_B'
  | 'ADMIN_A'
  | 'ADMIN_B';

export function demoOfficial(key: DemoOfficialKey): DemoOfficial {
  const official = DEMO_OFFICIALS.find((known) => known.key === key);
  if (!official) throw new Error(`no demo official ${key}`);
  return official;
}

/**
 * A code signs in once: the server refuses a time step at or before the last one it accepted,
 * and accepts the steps either side of now. So a second sign-in of the same official within
 * 30 s uses the next step's code (accepted a step early), and waits only when even that is used.
 */
const lastStepUsed = new Map<string, number>();

export async function freshTotpCode(official: Pick<DemoOfficial, 'key' | 'totpSecret'>): Promise<string> {
  const nowStep = () => Math.floor(Date.now() / 1000 / 30);
  let step = Math.max(nowStep(), (lastStepUsed.get(official.key) ?? -1) + 1);
  while (step > nowStep() + 1) await new Promise((resolve) => setTimeout(resolve, 1000));
  step = Math.max(step, nowStep());
  lastStepUsed.set(official.key, step);
  return totpCodeOf(official.totpSecret, step * 30);
}

/** The console's base path on the web gateway. */
export const CONSOLE = '/console/';

/** Fills the two sign-in steps (phone and password, then the code) and sends them. */
export async function fillSignIn(page: Page, phone: string, password: string, totpCode: string): Promise<void> {
  await page.goto(`${CONSOLE}#/sign-in`);
  await page.locator('#phone').fill(phone);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: /下一步|Next/ }).click();
  await page.locator('#totp').fill(totpCode);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
}

/**
 * Signs a demo official in through the sign-in page and waits for the console's menu. When the
 * server refuses the code (another process used this step), it tries once more with the next one.
 */
export async function signInOfficial(page: Page, key: DemoOfficialKey): Promise<void> {
  const official = demoOfficial(key);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await fillSignIn(page, official.phone, official.password, await freshTotpCode(official));
    const outcome = await Promise.race([
      page.getByRole('button', { name: /退出登录|Sign out/ }).waitFor().then(() => 'in' as const),
      page.locator('[data-test=sign-in-refusal]').waitFor().then(() => 'refused' as const),
    ]);
    if (outcome === 'in') return;
    if (attempt === 1) throw new Error(`${key} could not sign in: ${await page.locator('[data-test=sign-in-refusal]').innerText()}`);
    lastStepUsed.set(official.key, Math.floor(Date.now() / 1000 / 30) + 1);
    // The page is at the code step of #/sign-in: going to that address again changes nothing, so it starts afresh.
    await page.goto('about:blank');
  }
}

/** Yesterday in Asia/Shanghai: the demo's seeded day on a database seeded today. */
export function beijingYesterday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - 86_400_000));
}

/** The batch page's status word (its data-status attribute). */
export const batchStatus = (page: Page) => page.locator('[data-test=batch-status]');

/**
 * A signed-in finance official (FINANCE_A) builds the day's batch (or opens it: starting a day
 * twice gives the same batch), waits for the build, and submits it (复核). Answers the batch's URL.
 */
export async function submitDayBatch(page: Page, day: string): Promise<string> {
  await page.goto(`${CONSOLE}#/settlement`);
  const picker = page.locator('#business-date');
  await picker.fill(day);
  await picker.press('Enter');
  // The button names the day it builds: the one typed, not one the picker kept instead.
  await page.getByRole('button', { name: `生成 ${day} 的结算批次` }).click();
  await page.waitForURL(/#\/settlement\/[0-9a-f-]{36}(\?existing=1)?$/);
  await expect(batchStatus(page)).toHaveAttribute('data-status', /pending_approval|submitted/, { timeout: 60_000 });
  if ((await batchStatus(page).getAttribute('data-status')) === 'pending_approval') {
    await page.getByRole('button', { name: /复核无误，提交审批|Checked: submit for approval/ }).click();
  }
  await expect(batchStatus(page)).toHaveAttribute('data-status', 'submitted');
  return page.url();
}

/** A second finance official (FINANCE_B), signed in on another page, approves the batch (审批). */
export async function approveBatch(page: Page, batchUrl: string): Promise<void> {
  await page.goto(batchUrl);
  await expect(batchStatus(page)).toHaveAttribute('data-status', 'submitted');
  await page.getByRole('button', { name: /^(审批通过|Approve)$/ }).click();
  await expect(batchStatus(page)).toHaveAttribute('data-status', 'approved');
}

/** The whole four-eyes settlement of a day: FINANCE_A signs in and submits on one page, FINANCE_B on another approves. */
export async function settleDayWithFourEyes(pageA: Page, pageB: Page, day: string): Promise<string> {
  await signInOfficial(pageA, 'FINANCE_A');
  const batchUrl = await submitDayBatch(pageA, day);
  await signInOfficial(pageB, 'FINANCE_B');
  await approveBatch(pageB, batchUrl);
  return batchUrl;
}
