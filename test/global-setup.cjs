// Gives this test run its own Postgres database and Redis key prefix on the services that
// scripts/local-services.cjs finds or starts, so concurrent runs never see each other's data.
'use strict';
const { randomBytes } = require('node:crypto');
const services = require('../scripts/local-services.cjs');

module.exports = async function globalSetup() {
  const quiet = () => undefined;
  const postgres = await services.findOrStartPostgres(quiet);
  const redis = await services.findOrStartRedis(quiet);
  const runId = `${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
  const database = `vt_${runId}`;
  const databaseUrl = await services.ensureDatabase(postgres.url, database);

  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redis.url;
  process.env.REDIS_KEY_PREFIX = `t:${runId}:`;
  process.env.JWT_SECRET = `test-secret-${randomBytes(24).toString('hex')}`;
  process.env.TEST_SERVER_URL = postgres.url;

  globalThis.__VOUCHER_TEST_RUN__ = { postgres, redis, database };
};
