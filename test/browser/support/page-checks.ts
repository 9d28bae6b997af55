// What every page in the browser tests is held to: no JavaScript error (answers of 429 and 503
// are expected under load and are not errors), no serious or critical accessibility violation
// (axe-core), and a screenshot at the width it was looked at, for a person to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');
export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 800 };

/** Collects the page's uncaught errors and console errors from the moment it is called. */
export function watchErrors(page: Page): { errors: string[] } {
  const seen = { errors: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // The browser logs every failed request; the expected refusals (429, 503) are the pages' business.
    if (/status of (429|503)\b/.test(text)) return;
    seen.errors.push(`console: ${text}`);
  });
  return seen;
}

/** No serious or critical axe violations on what the page shows now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(bad, `accessibility of ${label}`).toEqual([]);
}

/** Writes test-results/screenshots/<name>-<width>.png of the whole page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
}

/** Looks at the page at phone and desktop width: accessible at each, a screenshot of each. */
export async function lookAtBothWidths(page: Page, name: string): Promise<void> {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await expectAccessible(page, `${name} at ${size.width} px`);
    await screenshot(page, name);
  }
}
