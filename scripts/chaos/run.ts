/**
 * `npm run chaos`: the grab under faults. A crowd rushes a round smaller than itself while one
 * fault at a time is injected: Redis killed and restarted empty, Redis restarted from an old
 * snapshot, the app killed, the app's Postgres sessions cut in rounds, the Lua scripts
 * flushed. Each fault gets a campaign of its own and a freshly started app; afterwards the
 * rows in Postgres and the stock in Redis are checked (checks.ts). One JSON line per fault on
 * stdout; progress and the machine's yardsticks on stderr; exit 1 on any breach.
 * `--short` (or CHAOS_SHORT=1): a smaller crowd and round and each fault once, for CI.
 */
import 'reflect-metadata';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { runId, services } from '../bench/bench-kit';
import { machine } from '../bench/yardsticks';
import { seedCrowd } from './crowd';
import { FAULT_NAMES, FaultName, RUN_APPLICATION_NAME } from './faults';
import { FaultRun, FaultLine, isBreach, runFault } from './fault-run';
import { freePort, PrivateRedis, redisServerBinary } from './private-redis';
import { SupervisedApp } from './supervised-app';

const SHORT = process.argv.includes('--short') || process.env.CHAOS_SHORT === '1';
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SETTINGS = {
  crowd: num('CHAOS_CROWD', SHORT ? 1_800 : 4_500),
  quantity: num('CHAOS_QUANTITY', SHORT ? 1_200 : 3_000),
  /** Paced so the round takes seconds to sell out and each fault lands mid-rush. */
  arrivalsPerSecond: num('CHAOS_ARRIVALS_PER_SEC', SHORT ? 300 : 600),
  connections: num('CHAOS_CONNECTIONS', 300),
  repeat: num('CHAOS_REPEAT', SHORT ? 1 : 3),
  patienceMs: 1000 * num('CHAOS_PATIENCE_SECONDS', 20),
  rushDeadlineMs: 1000 * num('CHAOS_RUSH_SECONDS', 45),
  healBoundMs: 1000 * num('CHAOS_HEAL_SECONDS', 5),
  /** Stock still stranded at the bound is watched this much longer, to report when it came back. */
  healWatchMs: 1000 * num('CHAOS_HEAL_WATCH_SECONDS', SHORT ? 15 : 40),
  maxMinutes: num('CHAOS_MAX_MINUTES', SHORT ? 5 : 20),
};
const FAULTS: FaultName[] = (process.env.CHAOS_FAULTS?.split(',').map((name) => name.trim()) ?? [...FAULT_NAMES]).map((name) => {
  if (!(FAULT_NAMES as readonly string[]).includes(name)) throw new Error(`CHAOS_FAULTS: unknown fault ${name}; known: ${FAULT_NAMES.join(', ')}`);
  return name as FaultName;
});
const KEY_PREFIX = 'chaos:';

const log = (message: string) => process.stderr.write(`[chaos] ${message}\n`);

/** Everything the run started, so any way out (an error, a signal, the watchdog) stops it all. */
const cleanups: Array<() => Promise<void>> = [];
const killNow: Array<() => void> = [];
let tempDir: string | null = null;

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    await cleanup?.().catch((error: unknown) => log(`clean-up step failed: ${String(error)}`));
  }
}

process.on('exit', () => {
  for (const kill of killNow) kill();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    log(`still running after ${SETTINGS.maxMinutes} minutes (CHAOS_MAX_MINUTES): stopping`);
    void cleanUp().finally(() => process.exit(1));
  }, SETTINGS.maxMinutes * 60_000);
  watchdog.unref();
  log(`machine ${JSON.stringify(machine())}`);
  log(`${SHORT ? 'short' : 'full'} run: ${JSON.stringify({ ...SETTINGS, faults: FAULTS })}`);

  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  tempDir = dir;
  const postgres = await services.findOrStartPostgres(log);
  cleanups.push(() => postgres.stop());
  const databaseName = `chaos_${runId()}`;
  const databaseUrl = await services.ensureDatabase(postgres.url, databaseName);
  cleanups.push(() => services.dropDatabase(postgres.url, databaseName));
  const migrator = createDataSource(databaseUrl, 2);
  await migrator.initialize();
  await runMigrationsLocked(migrator);
  await migrator.destroy();
  const pg = new Pool({ connectionString: databaseUrl, application_name: RUN_APPLICATION_NAME, max: 4 });
  pg.on('error', (error) => log(`the run's own Postgres session failed: ${error.message}`));
  cleanups.push(() => pg.end());

  const redis = new PrivateRedis(redisServerBinary(), await freePort(), dir);
  killNow.push(() => redis.killNow());
  cleanups.push(() => redis.stop());
  await redis.start();

  const jwtSecret = `chaos-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const app = new SupervisedApp(
    {
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: KEY_PREFIX,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn',
      ISSUANCE_PORT: String(port),
      // One process, so a kill is the whole app's death.
      HTTP_WORKERS: '1',
    },
    port,
    log,
  );
  killNow.push(() => app.killNow());
  cleanups.push(() => app.stop());

  log(`seeding ${SETTINGS.crowd} verified residents; Redis on port ${redis.port}, the app on ${port}, database ${databaseName}`);
  const tokens = await seedCrowd(pg, SETTINGS.crowd, jwtSecret);
  const run: FaultRun = { pg, redis, app, databaseName, keyPrefix: KEY_PREFIX, tokens, settings: SETTINGS, log };

  const lines: FaultLine[] = [];
  for (let pass = 1; pass <= SETTINGS.repeat; pass++) {
    for (const fault of FAULTS) {
      log(`${fault} (pass ${pass} of ${SETTINGS.repeat})`);
      const line = await runFault(run, fault);
      lines.push(line);
      console.log(JSON.stringify(line));
    }
  }
  const breaches = lines.filter(isBreach);
  log(breaches.length === 0 ? `every fault kept every invariant (${lines.length} runs)` : `${breaches.length} of ${lines.length} runs breached: ${breaches.map((line) => line.fault).join(', ')}`);
  return breaches.length === 0 ? 0 : 1;
}

main()
  .then(
    (code) => cleanUp().then(() => code),
    (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return cleanUp().then(() => 1);
    },
  )
  .then((code) => process.exit(code));
