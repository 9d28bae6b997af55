#!/usr/bin/env node
// `npm run test:cluster`: the integration tests that touch Redis, run against a local Redis
// Cluster (3 masters, 3 replicas; scripts/redis-cluster.cjs, reused when one runs on
// 7001-7006) instead of a single Redis: REDIS_URL=redis-cluster://... for the whole run, so
// every app, the settlement worker's BullMQ and the tests' own clients go through ioredis
// Cluster. The failover test starts a cluster of its own (it kills a master). Extra arguments
// replace the list of files. DIST_FRESH=1 skips the build, as for `npm test`.
// Tests that start private single redis-servers to cut or restart them (pool-returns,
// voucher-expiry, settlement-redis-restart, worker-watch) stay on `npm test` only.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { startRedisCluster } = require('./redis-cluster.cjs');

const ROOT = join(__dirname, '..');

/** What each file covers of Redis: the grab and its admission state, codes, eligibility, one-time codes, jobs, limits, locks. */
const FILES = [
  'grab', // admission scripts, batches, limits
  'grab-admission-state', // rebuild, sync, expiry, the state lock, 503 while Redis is away
  'grab-stale-redis', // an old snapshot comes back: fencing and rebuild
  'grab-faults', // state lost mid-rush, SCRIPT FLUSH
  'grab-orphans', // pending reservations of dead processes
  'grab-rate-limit',
  'grab-buckets', // hot-stock buckets: K states on their own slots, borrowing, rebuild per bucket
  'grab-buckets-faults', // hot-stock buckets under old snapshots, Postgres cuts, a bucket lost, a move cut short
  'checkout', // voucher-code nonces (spend), eligibility reads
  'checkout-give-back', // give-back of nonces
  'checkout-stale-redis',
  'eligibility', // the merchant eligibility index and its rebuild
  'residents', // one-time codes, cool-downs, per-address limits
  'staff-sessions', // merchant staff one-time codes and sessions
  'settlement-build', // BullMQ jobs (flows, queue) on the cluster
  'worker', // the settlement worker process's BullMQ
  'redis-lock',
  'redis-scripts',
  'redis-cluster-failover', // its own cluster: a master killed mid-rush
].map((name) => `test/${name}.e2e-spec.ts`);

async function main() {
  const cluster = await startRedisCluster({ basePort: Number(process.env.REDIS_CLUSTER_PORT ?? 7001) });
  console.log(`${cluster.reused ? 'reusing' : 'started'} the Redis Cluster at ${cluster.url}`);
  const files = process.argv.length > 2 ? process.argv.slice(2) : FILES;
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/test.cjs'), ...files], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, REDIS_URL: cluster.url },
  });
  await cluster.stop();
  process.exit(run.status ?? 1);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
