// Runs the four apps (issuance and redemption as one or several processes each), the settlement
// worker and the web gateway as child processes against one database and Redis, and waits
// until each answers. `npm start` uses it, and so do the browser tests (test/browser/) and
// test/processes, each run on a database, key prefix and ports of its own. A process that dies
// or is not ready during the start stops the start: the others are stopped, and the error names
// the process, how it ended and the last lines of its standard error.
'use strict';
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync, readdirSync, readFileSync, readlinkSync } = require('node:fs');
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
  // /health and /metrics only: not behind the gateway.
  { name: 'settlement-worker', entry: 'dist/apps/settlement/src/worker.js', port: 3005, portVar: 'SETTLEMENT_WORKER_PORT', internal: true },
  // The pages and the APIs on one origin (scripts/web-gateway.ts): /h5/, /till/, /console/, /api/<app>/….
  { name: 'web', entry: 'dist/scripts/web-gateway.js', port: 8080, portVar: 'WEB_PORT', healthPath: '/api/issuance/health' },
];
const PORT_STRIDE = 10;
const MAX_PROCESSES = 16;
/** Restarts of a process of an app run as several, before its death stops the platform. */
const MAX_RESTARTS = 10;
const RESTART_DELAY_MS = 1_000;
/** A health request's longest wait: something on the port that accepts and never answers must not hold the start. */
const HEALTH_REQUEST_MS = 2_000;
/** Lines of a process's standard error that the error of a failed start shows. */
const STDERR_TAIL_LINES = 15;

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
    if (app.portVar && !app.internal) upstreams[`${app.name.toUpperCase()}_UPSTREAM`] = ports.map((port) => `http://127.0.0.1:${port}`).join(',');
  }
  const web = APPS.find((a) => a.name === 'web');
  planned.push({ name: 'web', app: 'web', entry: web.entry, port: Number(env.WEB_PORT ?? web.port), healthPath: web.healthPath, env: { ...env, ...upstreams }, replicated: false });
  return planned;
}

/**
 * Whether the process `pid` itself listens on `port`: true or false on Linux (the kernel's
 * socket tables and the process's descriptors), undefined elsewhere. A health answer alone does
 * not say who gave it: the worker once held the issuance app's port and answered its /health
 * while the app died of EADDRINUSE, and the pages met the worker's ROUTE_NOT_FOUND.
 */
function listensOn(pid, port) {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const sockets = new Set();
  let tables = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    tables += 1;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st …, inode tenth; st 0A is LISTEN.
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(local) && fields[3] === '0A') sockets.add(`socket:[${fields[9]}]`);
    }
  }
  if (tables === 0) return undefined;
  const holds = (fd) => {
    try {
      return sockets.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false; // closed meanwhile
    }
  };
  try {
    return readdirSync(`/proc/${pid}/fd`).some(holds);
  } catch {
    return false; // the process has ended
  }
}

/** Undefined when the process answers its health check on its own port; otherwise why not. */
async function notReadyBecause(proc, pid) {
  if (listensOn(pid, proc.port) === false) return `it does not listen on port ${proc.port}`;
  const url = `http://127.0.0.1:${proc.port}${proc.healthPath}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_REQUEST_MS) });
    return response.ok ? undefined : `${url} answers ${response.status}`;
  } catch (error) {
    return `${url} does not answer (${error.cause?.code ?? error.name})`;
  }
}

/** The last lines of `text`, indented under the error's first line. */
function lastLines(text) {
  const lines = text.trimEnd().split('\n').slice(-STDERR_TAIL_LINES);
  return lines[0] ? lines.map((line) => `    ${line}`).join('\n') : '    (nothing)';
}

/**
 * Starts every process with `env` (DATABASE_URL, REDIS_URL, the ports and ISSUANCE_PROCESSES /
 * REDEMPTION_PROCESSES; migrations and seed are the caller's), logs each into `logDir`, and
 * resolves once each listens on its port and answers its health check there (a process on port
 * 0 only has to stay up). Until then any process that ends, or one not ready by `timeoutMs`,
 * stops the others and rejects, naming it, how it ended or why it is not ready, and its last
 * lines of standard error. Once started, a process of an app run as several that dies is
 * started again after a second (up to MAX_RESTARTS an app: its siblings carry the load
 * meanwhile, and any of them settles the reservations it left), and `onRestart(name, how)`
 * hears of it; `onExit(name, how)` hears of any other process that stops by itself. Answers
 * the processes' health addresses, `processes` (name, app, port and `pid()` of each) and `stop()`.
 */
async function startPlatform({ env, logDir, onExit = () => undefined, onRestart = () => undefined, onStderr = () => undefined, timeoutMs = 60_000 }) {
  mkdirSync(logDir, { recursive: true });
  const planned = planProcesses(env);
  const children = new Map();
  const stderrs = new Map();
  const restarts = new Map();
  let starting = true;
  let endedWhileStarting = false;
  let stopping = false;
  let startFailed;
  const failure = new Promise((_, reject) => {
    startFailed = (proc, why) => reject(new Error(`${proc.name} ${why} while the platform was starting; the last lines of its stderr:\n${lastLines(stderrs.get(proc.name))}\nlogs: ${logDir}`));
  });
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
    stderrs.set(proc.name, '');
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.stderr.on('data', (chunk) => {
      stderrs.set(proc.name, `${stderrs.get(proc.name)}${chunk}`.slice(-16_384));
      onStderr(proc.name, chunk);
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? code;
      if (starting) {
        endedWhileStarting = true;
        // Its last words may still be in the pipe: wait for the stream's end (briefly: a child of its own may hold it).
        const said = new Promise((resolve) => child.once('close', resolve));
        void Promise.race([said, new Promise((resolve) => setTimeout(resolve, 1_000))]).then(() =>
          startFailed(proc, signal ? `was ended by ${signal}` : `exited with code ${code}`),
        );
        return;
      }
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
  /** Resolves with the process's health address once it is ready; rejects at the deadline. */
  const ready = async (proc, deadline) => {
    while (!stopping) {
      const why = await notReadyBecause(proc, children.get(proc.name).pid);
      if (why === undefined) return `http://127.0.0.1:${proc.port}${proc.healthPath}`;
      if (Date.now() >= deadline) {
        startFailed(proc, `was not ready in ${Math.round(timeoutMs / 1000)} s (${why})`);
        return failure;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return failure;
  };
  for (const proc of planned) launch(proc);
  const processes = planned.map((proc) => ({ name: proc.name, app: proc.app, port: proc.port, pid: () => children.get(proc.name)?.pid }));
  try {
    const deadline = Date.now() + timeoutMs;
    const checked = planned.filter((proc) => proc.port);
    const addresses = await Promise.race([Promise.all(checked.map((proc) => ready(proc, deadline))), failure]);
    // One that ended as the last became ready is still a failed start (its error follows once its stderr is read).
    if (endedWhileStarting) await failure;
    starting = false;
    return { health: Object.fromEntries(checked.map((proc, i) => [proc.name, addresses[i]])), processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { startPlatform, planProcesses, APPS };
