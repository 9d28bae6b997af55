// Starts the whole platform for the browser tests, as `npm start` does, but on a database, a
// Redis key prefix and ports of this run's own: migrations and the demo data (scripts/seed-demo.ts),
// the four apps, the settlement worker and the web gateway from dist/ and web-dist/ (built by
// `npm test` before). Sets WEB_BASE_URL for the tests; the teardown stops everything and drops
// the database.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../scripts/free-port';
import { RunningPlatform, startPlatform } from '../support/platform';

const ROOT = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require(join(ROOT, 'scripts/local-services.cjs'));

export default async function platformSetup(): Promise<() => Promise<void>> {
  const quiet = () => undefined;
  const postgres = await services.findOrStartPostgres(quiet);
  const redis = await services.findOrStartRedis(quiet);
  const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const database = `vb_${runId}`;
  const databaseUrl: string = await services.ensureDatabase(postgres.url, database);
  // Every listener gets its port here, together (held open at once, so all different): the
  // worker on port 0 once took the port just chosen for the gateway, and the pages met the
  // worker's "no such route" (the kernel may hand a port freePort has just closed to the next
  // listen(0) before its own server binds it).
  const [issuance, merchant, redemption, settlement, web, worker] = await Promise.all(Array.from({ length: 6 }, freePort));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `b:${runId}:`,
    JWT_SECRET: `browser-test-secret-${randomBytes(24).toString('hex')}`,
    TRUST_PROXY: '127.0.0.1',
    ISSUANCE_PORT: String(issuance),
    MERCHANT_PORT: String(merchant),
    REDEMPTION_PORT: String(redemption),
    SETTLEMENT_PORT: String(settlement),
    // The worker serves only /health and /metrics: a free port of its own, so a platform started
    // by hand (npm start, which leaves it on 3005) does not stop this run's worker from starting.
    SETTLEMENT_WORKER_PORT: String(worker),
    WEB_PORT: String(web),
  };
  const release = async () => {
    await services.dropDatabase(postgres.url, database).catch(() => undefined);
    await postgres.stop?.().catch(() => undefined);
    await redis.stop?.().catch(() => undefined);
  };
  let platform: RunningPlatform;
  try {
    const seed = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/seed-demo.js')], { cwd: ROOT, env, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`the demo seed failed: ${seed.stderr}`);
    platform = await startPlatform({ env, logDir: join(ROOT, 'test-results', 'browser-logs', runId) });
  } catch (error) {
    await release();
    throw error;
  }
  process.env.WEB_BASE_URL = `http://127.0.0.1:${web}`;
  process.env.BROWSER_TEST_DATABASE_URL = databaseUrl;
  process.env.BROWSER_TEST_REDIS_PREFIX = env.REDIS_KEY_PREFIX;
  process.env.BROWSER_TEST_REDIS_URL = redis.url;

  return async () => {
    await platform.stop();
    await release();
  };
}
