#!/usr/bin/env node
// `npm test`: builds (one test starts a real entry point), runs both jest projects, and ends
// with one line of totals that CI reads: `N passed, N failed`. Extra arguments go to jest.
// DIST_FRESH=1 skips the build: the caller has just built dist/ from this tree (.ci/run does).
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
if (process.env.DIST_FRESH !== '1') {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.cjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), 'jest-results-'));
const resultsFile = join(dir, 'results.json');
const jest = spawnSync(
  process.execPath,
  // --forceExit: a handle a test leaves open (a child process, a socket) must fail that test,
  // not hold the whole run until CI's time runs out.
  [join(ROOT, 'node_modules/jest/bin/jest.js'), '--json', '--forceExit', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
let totals = null;
try {
  totals = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // jest did not get far enough to write results
}
rmSync(dir, { recursive: true, force: true });
if (totals) {
  const failed = totals.numFailedTests + (totals.numRuntimeErrorTestSuites ?? 0);
  console.log(`${totals.numPassedTests} passed, ${failed} failed`);
} else {
  console.log('0 passed, 1 failed');
}
process.exit(jest.status === 0 && totals ? 0 : 1);
