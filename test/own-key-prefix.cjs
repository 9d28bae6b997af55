// Runs in each integration test file before its code: the file gets a Redis key prefix of its
// own under the run's (global teardown deletes the run's), so markers one file sets or deletes
// (the eligibility index's `loaded`, admission state, BullMQ queues) are never another file's
// and files may run side by side. jest gives each file its own copy of process.env.
'use strict';
const { randomBytes } = require('node:crypto');

process.env.REDIS_KEY_PREFIX = `${process.env.REDIS_KEY_PREFIX}f${randomBytes(4).toString('hex')}:`;

// Files side by side (jest --maxWorkers above 1): this worker's own database (global-setup.cjs).
if (process.env.TEST_WORKER_DATABASES === '1') {
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname}_w${process.env.JEST_WORKER_ID}`;
  process.env.DATABASE_URL = url.toString();
}
