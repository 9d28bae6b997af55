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

// Run in the page (a string: the tests' TypeScript has no DOM types). Takes the selectors of the regions to look into.
const SIDEWAYS_IN_PAGE = `(selectors) => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push('the page (' + root.scrollWidth + ' px in ' + root.clientWidth + ')');
  for (const selector of selectors) {
    for (const region of document.querySelectorAll(selector)) {
      for (const element of [region, ...region.querySelectorAll('*')]) {
        const overflow = getComputedStyle(element).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && element.scrollWidth > element.clientWidth + 1) {
          found.push(selector + ' ' + element.tagName.toLowerCase() + '.' + [...element.classList].join('.') + ' (' + element.scrollWidth + ' px in ' + element.clientWidth + ')');
        }
      }
    }
  }
  return found;
}`;

/**
 * What scrolls sideways on the page as it is now: the page itself, or a scroll area (an Element
 * Plus table wider than the screen) within one of the regions named. A phone user swipes past
 * what is off to the right, the actions of a row often among it.
 */
export function sidewaysScrolls(page: Page, regions: string[] = []): Promise<string[]> {
  return page.evaluate(`(${SIDEWAYS_IN_PAGE})(${JSON.stringify(regions)})`);
}

/**
 * Looks at the page at phone and desktop width: accessible at each, a screenshot of each. At
 * phone width the page does not scroll sideways, nor does anything in the regions named.
 */
export async function lookAtBothWidths(page: Page, name: string, fitOnPhone: string[] = []): Promise<void> {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await expectAccessible(page, `${name} at ${size.width} px`);
    if (size === PHONE) expect(await sidewaysScrolls(page, fitOnPhone), `what scrolls sideways on ${name} at ${size.width} px`).toEqual([]);
    await screenshot(page, name);
  }
}
