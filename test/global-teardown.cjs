// Drops this run's database and deletes its Redis keys; stops services the setup started.
'use strict';
const Redis = require('ioredis');
const services = require('../scripts/local-services.cjs');

async function deleteKeys(url, prefix) {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

module.exports = async function globalTeardown() {
  const run = globalThis.__VOUCHER_TEST_RUN__;
  if (!run) return;
  await services.dropDatabase(run.postgres.url, run.database).catch((error) => console.warn(`drop database: ${error.message}`));
  await deleteKeys(run.redis.url, process.env.REDIS_KEY_PREFIX).catch((error) => console.warn(`redis cleanup: ${error.message}`));
  await run.redis.stop();
  await run.postgres.stop();
};
