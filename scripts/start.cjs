#!/usr/bin/env node
// `npm start`: builds, finds or starts Postgres and Redis, migrates and loads the demo data,
// then runs the four apps and the settlement worker until Ctrl-C, and prints the demo's banner
// (tokens and the walk, docs/demo.md). Logs go to .data/logs/.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createWriteStream, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const services = require('./local-services.cjs');
const { appNodeArgs } = require('./app-node-args.cjs');

const ROOT = join(__dirname, '..');
const APPS = [
  { name: 'issuance', entry: 'dist/apps/issuance/src/main.js', port: 3001, portVar: 'ISSUANCE_PORT' },
  { name: 'merchant', entry: 'dist/apps/merchant/src/main.js', port: 3002, portVar: 'MERCHANT_PORT' },
  { name: 'redemption', entry: 'dist/apps/redemption/src/main.js', port: 3003, portVar: 'REDEMPTION_PORT' },
  { name: 'settlement', entry: 'dist/apps/settlement/src/main.js', port: 3004, portVar: 'SETTLEMENT_PORT' },
  { name: 'settlement-worker', entry: 'dist/apps/settlement/src/worker.js' },
];

const log = (message) => console.log(`[start] ${message}`);
const stoppers = [];
const children = [];
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  process.exit(code);
}

/** Runs a step to its end; with `keepOutput`, its standard output is answered instead of shown. */
function runStep(label, args, env, keepOutput = false) {
  log(label);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', keepOutput ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    if (keepOutput) process.stdout.write(result.stdout ?? '');
    throw new Error(`${label} failed (exit ${result.status})`);
  }
  return result.stdout;
}

async function waitForHealth(app, deadline) {
  const url = `http://127.0.0.1:${process.env[app.portVar] ?? app.port}/health`;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${app.name} did not answer ${url} in time; see .data/logs/${app.name}.log`);
}

async function main() {
  runStep('building', [join(ROOT, 'scripts/build.cjs')], process.env);
  const postgres = await services.findOrStartPostgres(log);
  stoppers.push(postgres.stop);
  const redis = await services.findOrStartRedis(log);
  stoppers.push(redis.stop);
  // DATABASE_URL's own database, created when missing if the server allows; otherwise `vouchers`.
  const databaseUrl =
    postgres.source === 'DATABASE_URL' ? await services.ensureDatabaseOf(postgres.url, log) : await services.ensureDatabase(postgres.url, 'vouchers');
  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
  log(`Postgres (${postgres.source}): ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  log(`Redis (${redis.source}): ${redis.url}`);
  // The seed's banner (tokens and the demo's walk) is printed last, once every app answers.
  const demoBanner = runStep('migrating and loading the demo data', [join(ROOT, 'dist/scripts/seed-demo.js')], env, true);

  const logDir = join(ROOT, '.data', 'logs');
  mkdirSync(logDir, { recursive: true });
  for (const app of APPS) {
    const out = createWriteStream(join(logDir, `${app.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...appNodeArgs(app.name), join(ROOT, app.entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.stderr.on('data', (chunk) => process.stderr.write(`[${app.name}] ${chunk}`));
    child.on('exit', (code, signal) => {
      if (stopping) return;
      log(`${app.name} exited (${signal ?? code}); stopping everything. See .data/logs/${app.name}.log`);
      void shutdown(1);
    });
    children.push(child);
  }
  const deadline = Date.now() + 60_000;
  const lines = [];
  for (const app of APPS.filter((a) => a.port)) {
    const health = await waitForHealth(app, deadline);
    const base = health.replace(/\/health$/, '');
    lines.push(`  ${app.name.padEnd(11)} ${base}   docs ${base}/docs   health ${health}`);
  }
  log('all apps are up (logs in .data/logs/; Ctrl-C stops everything):');
  for (const line of lines) console.log(line);
  console.log('  settlement-worker running (BullMQ, no HTTP)');
  process.stdout.write(demoBanner);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error) => {
  console.error(`[start] ${error.message}`);
  void shutdown(1);
});
