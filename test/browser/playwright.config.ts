// The browser tests: the three fronts from web-dist/ against the real apps (started by
// platform-setup.ts on a database, Redis key prefix and ports of this run's own), in Debian's
// Chromium. Part of `npm test`; alone: `npm run test:browser`. Screenshots of every main page
// at 360 px and 1280 px go to test-results/screenshots/ (CI keeps that folder).
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.browser.ts',
  globalSetup: require.resolve('./platform-setup'),
  outputDir: '../../test-results/browser',
  // One platform for the run; the journeys share its demo data, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '../../test-results/browser/results.json' }]],
  use: {
    baseURL: process.env.WEB_BASE_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});
