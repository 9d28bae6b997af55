// Runs the four apps, the settlement worker and the web gateway as child processes against one
// database and Redis, and waits until each answers. `npm start` uses it, and so do the browser
// tests (test/browser/), each run on a database, key prefix and ports of its own.
'use strict';
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { appNodeArgs } = require('./app-node-args.cjs');

const ROOT = join(__dirname, '..');
const PROCESSES = [
  { name: 'issuance', entry: 'dist/apps/issuance/src/main.js', port: 3001, portVar: 'ISSUANCE_PORT' },
  { name: 'merchant', entry: 'dist/apps/merchant/src/main.js', port: 3002, portVar: 'MERCHANT_PORT' },
  { name: 'redemption', entry: 'dist/apps/redemption/src/main.js', port: 3003, portVar: 'REDEMPTION_PORT' },
  { name: 'settlement', entry: 'dist/apps/settlement/src/main.js', port: 3004, portVar: 'SETTLEMENT_PORT' },
  { name: 'settlement-worker', entry: 'dist/apps/settlement/src/worker.js' },
  // The pages and the APIs on one origin (scripts/web-gateway.ts): /h5/, /till/, /console/, /api/<app>/….
  { name: 'web', entry: 'dist/scripts/web-gateway.js', port: 8080, portVar: 'WEB_PORT', healthPath: '/api/issuance/health' },
];

const portOf = (proc, env) => Number(env[proc.portVar] ?? proc.port);

async function waitForHealth(proc, env, deadline) {
  const url = `http://127.0.0.1:${portOf(proc, env)}${proc.healthPath ?? '/health'}`;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${proc.name} did not answer ${url} in time`);
}

/**
 * Starts every process with `env` (DATABASE_URL, REDIS_URL and the ports; migrations and seed
 * are the caller's), logs into `logDir`, and resolves once each answers its health check.
 * `onExit(name, code)` hears of a process that stops by itself. Answers the processes' health
 * addresses and `stop()`.
 */
async function startPlatform({ env, logDir, onExit = () => undefined, onStderr = () => undefined, timeoutMs = 60_000 }) {
  mkdirSync(logDir, { recursive: true });
  const children = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const exits = children.filter((child) => child.exitCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of children) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5000))]);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  for (const proc of PROCESSES) {
    const out = createWriteStream(join(logDir, `${proc.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...appNodeArgs(proc.name), join(ROOT, proc.entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.stderr.on('data', (chunk) => onStderr(proc.name, chunk));
    child.on('exit', (code, signal) => {
      if (!stopping) onExit(proc.name, signal ?? code);
    });
    children.push(child);
  }
  try {
    const deadline = Date.now() + timeoutMs;
    const health = {};
    for (const proc of PROCESSES.filter((p) => p.port)) health[proc.name] = await waitForHealth(proc, env, deadline);
    return { health, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}; see ${logDir}`, { cause: error });
  }
}

module.exports = { startPlatform, PROCESSES };
