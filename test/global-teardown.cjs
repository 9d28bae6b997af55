// Drops this run's database and deletes its Redis keys; stops services the setup started.
'use strict';
const Redis = require('ioredis');
const services = require('../scripts/local-services.cjs');

/** The run's keys, on one Redis or on every master of a cluster (each holds only its slots' keys). */
async function deleteKeys(url, prefix) {
  const cluster = url.startsWith('redis-cluster://');
  const client = cluster
    ? new Redis.Cluster(url.slice('redis-cluster://'.length).split(',').map((hostPort) => ({ host: hostPort.split(':')[0], port: Number(hostPort.split(':')[1]) })), {
        lazyConnect: true,
        redisOptions: { maxRetriesPerRequest: 1 },
      })
    : new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    for (const node of cluster ? client.nodes('master') : [client]) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        // One key a command: on a cluster a DEL may not span slots.
        await Promise.all(keys.map((key) => node.del(key)));
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

module.exports = async function globalTeardown() {
  const run = globalThis.__VOUCHER_TEST_RUN__;
  if (!run) return;
  for (const database of [run.database, ...run.workers]) {
    await services.dropDatabase(run.postgres.url, database).catch((error) => console.warn(`drop database: ${error.message}`));
  }
  await deleteKeys(run.redis.url, process.env.REDIS_KEY_PREFIX).catch((error) => console.warn(`redis cleanup: ${error.message}`));
  await run.redis.stop();
  await run.postgres.stop();
};
