#!/usr/bin/env node
// `npm test`: builds (one test starts a real entry point), runs both jest projects, then the
// browser tests (Playwright in Debian's Chromium, test/browser/), and ends with one line of
// totals that CI reads: `N passed, N failed`. Extra arguments go to jest and skip the browser
// tests; `--browser-only` runs only the browser tests (`npm run test:browser`), and the
// arguments after it go to Playwright (a file, `-g <title>`).
// DIST_FRESH=1 skips the build: the caller has just built dist/ from this tree (.ci/run does).
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const browserOnly = args.includes('--browser-only');
const runJest = !browserOnly;
const runBrowser = browserOnly || args.length === 0;

if (process.env.DIST_FRESH !== '1') {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.cjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null; // the runner did not get far enough to write its results
  }
}

/** Jest's totals, or null when it wrote none. */
function jestTotals() {
  const dir = mkdtempSync(join(tmpdir(), 'jest-results-'));
  const resultsFile = join(dir, 'results.json');
  const jest = spawnSync(
    process.execPath,
    // --forceExit: a handle a test leaves open (a child process, a socket) must fail that test,
    // not hold the whole run until CI's time runs out.
    [join(ROOT, 'node_modules/jest/bin/jest.js'), '--json', '--forceExit', `--outputFile=${resultsFile}`, ...args],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  const results = readJson(resultsFile);
  rmSync(dir, { recursive: true, force: true });
  if (!results) return { passed: 0, failed: 1, ok: false };
  return { passed: results.numPassedTests, failed: results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0), ok: jest.status === 0 };
}

function browserTotals() {
  const resultsFile = join(ROOT, 'test-results', 'browser', 'results.json');
  rmSync(resultsFile, { force: true });
  const extra = browserOnly ? args.filter((arg) => arg !== '--browser-only') : [];
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'test/browser/playwright.config.ts', ...extra], {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
  });
  const results = readJson(resultsFile);
  if (!results) return { passed: 0, failed: 1, ok: false };
  const { expected = 0, unexpected = 0, flaky = 0 } = results.stats ?? {};
  const setupFailed = (results.errors ?? []).length > 0 ? 1 : 0;
  return { passed: expected + flaky, failed: unexpected + setupFailed, ok: run.status === 0 };
}

const parts = [runJest ? jestTotals() : null, runBrowser ? browserTotals() : null].filter(Boolean);
const passed = parts.reduce((sum, part) => sum + part.passed, 0);
const failed = parts.reduce((sum, part) => sum + part.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(parts.every((part) => part.ok) ? 0 : 1);
