#!/usr/bin/env node
// `npm start`: builds, finds or starts Postgres and Redis, migrates and loads the demo data,
// then runs the four apps, the settlement worker and the web gateway (the pages on :8080) until
// Ctrl-C (scripts/platform.cjs; ISSUANCE_PROCESSES=2 REDEMPTION_PROCESSES=2 npm start runs two
// processes of each behind the gateway, docs/configuration.md), and prints the demo's banner
// (tokens, the demo officials' sign-in details and the walk, docs/demo.md). Logs go to .data/logs/.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const services = require('./local-services.cjs');
const { startPlatform } = require('./platform.cjs');

const ROOT = join(__dirname, '..');

const log = (message) => console.log(`[start] ${message}`);
const stoppers = [];
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
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

async function main() {
  runStep('building', [join(ROOT, 'scripts/build.cjs')], process.env);
  const postgres = await services.findOrStartPostgres(log);
  stoppers.push(postgres.stop);
  const redis = await services.findOrStartRedis(log);
  stoppers.push(redis.stop);
  // DATABASE_URL's own database, created when missing if the server allows; otherwise `vouchers`.
  const databaseUrl =
    postgres.source === 'DATABASE_URL' ? await services.ensureDatabaseOf(postgres.url, log) : await services.ensureDatabase(postgres.url, 'vouchers');
  // The apps believe the web gateway's X-Forwarded-For (it runs on this machine), so per-address limits see residents.
  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1' };
  log(`Postgres (${postgres.source}): ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  log(`Redis (${redis.source}): ${redis.url}`);
  // The seed's banner (tokens, officials' sign-in details, the demo's walk) is printed last, once every app answers.
  const demoBanner = runStep('migrating and loading the demo data', [join(ROOT, 'dist/scripts/seed-demo.js')], env, true);

  const logDir = join(ROOT, '.data', 'logs');
  const platform = await startPlatform({
    env,
    logDir,
    onStderr: (name, chunk) => process.stderr.write(`[${name}] ${chunk}`),
    // A process of an app run as several (ISSUANCE_PROCESSES, REDEMPTION_PROCESSES) is started again; the others serve meanwhile.
    onRestart: (name, how) => log(`${name} exited (${how}); starting it again. See .data/logs/${name}.log`),
    onExit: (name, how) => {
      if (stopping) return;
      log(`${name} exited (${how}); stopping everything. See .data/logs/${name}.log`);
      void shutdown(1);
    },
  });
  stoppers.push(platform.stop);
  const lines = Object.entries(platform.health).map(([name, health]) => {
    const base = new URL(health).origin;
    if (name === 'web') return `  ${name.padEnd(17)} ${base}/h5/ (residents)   ${base}/till/ (till and shop)   ${base}/console/ (officials)`;
    // The worker runs BullMQ jobs and serves only /health and /metrics.
    if (name === 'settlement-worker') return `  ${name.padEnd(17)} ${base}   jobs (BullMQ)   health ${health}`;
    return `  ${name.padEnd(17)} ${base}   docs ${base}/docs   health ${health}`;
  });
  log('all apps are up (logs in .data/logs/; Ctrl-C stops everything):');
  for (const line of lines) console.log(line);
  process.stdout.write(demoBanner);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((error) => {
  console.error(`[start] ${error.message}`);
  void shutdown(1);
});
