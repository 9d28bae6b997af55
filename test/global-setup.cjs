// Gives this test run its own Postgres database and Redis key prefix on the services that
// scripts/local-services.cjs finds or starts, so concurrent runs never see each other's data.
'use strict';
const { randomBytes } = require('node:crypto');
const services = require('../scripts/local-services.cjs');

/**
 * Jest may run integration files side by side (--maxWorkers): each worker gets a database of its
 * own (the run's name and `_w<JEST_WORKER_ID>`, set per file by own-key-prefix.cjs), since
 * tests count rows city-wide (a business day's settlement, the figures, the expiry sweep) and
 * would see another file's. One worker keeps the single database.
 */
function workerDatabases(database, maxWorkers) {
  return maxWorkers > 1 ? Array.from({ length: maxWorkers }, (_, i) => `${database}_w${i + 1}`) : [];
}

module.exports = async function globalSetup(globalConfig) {
  const quiet = () => undefined;
  const postgres = await services.findOrStartPostgres(quiet);
  const redis = await services.findOrStartRedis(quiet);
  const runId = `${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
  const database = `vt_${runId}`;
  const databaseUrl = await services.ensureDatabase(postgres.url, database);
  const workers = workerDatabases(database, globalConfig?.maxWorkers ?? 1);
  for (const name of workers) await services.ensureDatabase(postgres.url, name);

  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redis.url;
  process.env.REDIS_KEY_PREFIX = `t:${runId}:`;
  process.env.JWT_SECRET = `test-secret-${randomBytes(24).toString('hex')}`;
  process.env.TEST_SERVER_URL = postgres.url;

  // Whether each worker has a database of its own (own-key-prefix.cjs then points DATABASE_URL at it).
  process.env.TEST_WORKER_DATABASES = workers.length > 0 ? '1' : '';

  globalThis.__VOUCHER_TEST_RUN__ = { postgres, redis, database, workers };
};
