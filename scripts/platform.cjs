// Runs the four apps (issuance and redemption as one or several processes each), the settlement
// worker and the web gateway as child processes against one database and Redis, and waits
// until each answers. `npm start` uses it, and so do the browser
// tests (test/browser/), each run on a database, key prefix and ports of its own.
'use strict';
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { appNodeArgs } = require('./app-node-args.cjs');

const ROOT = join(__dirname, '..');
/**
 * What runs. `processesVar`: the apps that may run as several processes (ISSUANCE_PROCESSES,
 * REDEMPTION_PROCESSES, default 1): process i (from 0) listens on the app's port + 10·i (3001,
 * 3011, 3021…; consecutive ports would run into the next app's), or on the i-th of
 * `<APP>_PORTS` when that lists them, and the web gateway balances across them.
 */
const APPS = [
  { name: 'issuance', entry: 'dist/apps/issuance/src/main.js', port: 3001, portVar: 'ISSUANCE_PORT', processesVar: 'ISSUANCE_PROCESSES' },
  { name: 'merchant', entry: 'dist/apps/merchant/src/main.js', port: 3002, portVar: 'MERCHANT_PORT' },
  { name: 'redemption', entry: 'dist/apps/redemption/src/main.js', port: 3003, portVar: 'REDEMPTION_PORT', processesVar: 'REDEMPTION_PROCESSES' },
  { name: 'settlement', entry: 'dist/apps/settlement/src/main.js', port: 3004, portVar: 'SETTLEMENT_PORT' },
  { name: 'settlement-worker', entry: 'dist/apps/settlement/src/worker.js' },
  // The pages and the APIs on one origin (scripts/web-gateway.ts): /h5/, /till/, /console/, /api/<app>/….
  { name: 'web', entry: 'dist/scripts/web-gateway.js', port: 8080, portVar: 'WEB_PORT', healthPath: '/api/issuance/health' },
];
const PORT_STRIDE = 10;
const MAX_PROCESSES = 16;
/** Restarts of a process of an app run as several, before its death stops the platform. */
const MAX_RESTARTS = 10;
const RESTART_DELAY_MS = 1_000;

/** How many processes of the app `env` asks for; a bad value stops the start, naming the setting. */
function processCount(app, env) {
  if (!app.processesVar) return 1;
  const raw = env[app.processesVar] ?? '1';
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PROCESSES) {
    throw new Error(`${app.processesVar} must be a whole number from 1 to ${MAX_PROCESSES}, not '${raw}'`);
  }
  return count;
}

/** The ports of the app's processes, one each. */
function portsOf(app, env, count) {
  const listed = app.processesVar && env[`${app.name.toUpperCase()}_PORTS`];
  if (listed) {
    const ports = listed.split(',').map((part) => Number(part.trim()));
    if (ports.length !== count || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new Error(`${app.name.toUpperCase()}_PORTS must list ${count} ports (one per process), not '${listed}'`);
    }
    return ports;
  }
  const base = Number(env[app.portVar] ?? app.port);
  return Array.from({ length: count }, (_, i) => (i === 0 || base === 0 ? base : base + PORT_STRIDE * i));
}

/**
 * Every process to start: name (the app's, with -1, -2… when it runs as several), entry, port,
 * environment. The gateway's upstream settings name every process of each app.
 */
function planProcesses(env) {
  const planned = [];
  const upstreams = {};
  for (const app of APPS.filter((a) => a.name !== 'web')) {
    const count = processCount(app, env);
    const ports = app.portVar ? portsOf(app, env, count) : [undefined];
    ports.forEach((port, i) => {
      const name = count === 1 ? app.name : `${app.name}-${i + 1}`;
      const own = port === undefined ? env : { ...env, [app.portVar]: String(port) };
      planned.push({ name, app: app.name, entry: app.entry, port, healthPath: '/health', env: own, replicated: count > 1 });
    });
    if (app.portVar) upstreams[`${app.name.toUpperCase()}_UPSTREAM`] = ports.map((port) => `http://127.0.0.1:${port}`).join(',');
  }
  const web = APPS.find((a) => a.name === 'web');
  planned.push({ name: 'web', app: 'web', entry: web.entry, port: Number(env.WEB_PORT ?? web.port), healthPath: web.healthPath, env: { ...env, ...upstreams }, replicated: false });
  return planned;
}

async function waitForHealth(proc, deadline) {
  const url = `http://127.0.0.1:${proc.port}${proc.healthPath}`;
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
 * Starts every process with `env` (DATABASE_URL, REDIS_URL, the ports and ISSUANCE_PROCESSES /
 * REDEMPTION_PROCESSES; migrations and seed are the caller's), logs each into `logDir`, and
 * resolves once each answers its health check. A process of an app run as several that dies is
 * started again after a second (up to MAX_RESTARTS an app: its siblings carry the load
 * meanwhile, and any of them settles the reservations it left), and `onRestart(name, how)`
 * hears of it; `onExit(name, how)` hears of any other process that stops by itself. Answers
 * the processes' health addresses, `processes` (name, app, port and `pid()` of each) and `stop()`.
 */
async function startPlatform({ env, logDir, onExit = () => undefined, onRestart = () => undefined, onStderr = () => undefined, timeoutMs = 60_000 }) {
  mkdirSync(logDir, { recursive: true });
  const planned = planProcesses(env);
  const children = new Map();
  const restarts = new Map();
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const live = [...children.values()].filter((child) => child.exitCode === null && child.signalCode === null);
    const exits = live.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of live) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5000))]);
    for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const launch = (proc) => {
    const out = createWriteStream(join(logDir, `${proc.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...appNodeArgs(proc.app), join(ROOT, proc.entry)], { cwd: ROOT, env: proc.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.stderr.on('data', (chunk) => onStderr(proc.name, chunk));
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? code;
      const used = restarts.get(proc.app) ?? 0;
      if (proc.replicated && used < MAX_RESTARTS) {
        restarts.set(proc.app, used + 1);
        onRestart(proc.name, how);
        setTimeout(() => {
          if (!stopping) launch(proc);
        }, RESTART_DELAY_MS).unref();
        return;
      }
      onExit(proc.name, how);
    });
    children.set(proc.name, child);
  };
  for (const proc of planned) launch(proc);
  const processes = planned.map((proc) => ({ name: proc.name, app: proc.app, port: proc.port, pid: () => children.get(proc.name)?.pid }));
  try {
    const deadline = Date.now() + timeoutMs;
    const health = {};
    for (const proc of planned.filter((p) => p.port !== undefined)) health[proc.name] = await waitForHealth(proc, deadline);
    return { health, processes, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}; see ${logDir}`, { cause: error });
  }
}

module.exports = { startPlatform, planProcesses, APPS };
