#!/usr/bin/env node
// A local Redis Cluster of 3 masters and 3 replicas from the ordinary redis-server binary, for
// development, `npm run test:cluster` and the benchmarks. `npm run services:cluster` starts one
// on ports 7001-7006 (cluster bus 17001-17006) and prints its REDIS_URL; a cluster already
// running there is reused, so the command is idempotent. Stop it with
// `node scripts/redis-cluster.cjs --stop`.
//
// From code: `await startRedisCluster({ basePort, dir })` resolves to
// `{ url, nodes: [{ host, port, pid }], pids, stop() }`; url is
// redis-cluster://127.0.0.1:<basePort>,... as REDIS_URL takes it. stop() ends only the
// processes this call started (none when it reused a running cluster).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const net = require('node:net');

const HOST = '127.0.0.1';
const NODES = 6;
/** A master silent this long is failed over to its replica: short, so tests see a failover in seconds. */
const NODE_TIMEOUT_MS = 2_000;

function binary(name) {
  const candidates = [`/usr/bin/${name}`, `/usr/local/bin/${name}`, `/opt/homebrew/bin/${name}`];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} not found: install Redis (apt-get install redis-server) to run a local cluster`);
  }
}

/** Sends one command with redis-cli; null when the node does not answer. */
function cli(port, ...args) {
  try {
    return execFileSync(binary('redis-cli'), ['-h', HOST, '-p', String(port), ...args], { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, check, timeoutMs) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > giveUpAt) throw new Error(`redis cluster: ${what} not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** True when every node says the cluster is ok, sees all six nodes, and every replica's link to its master is up. */
function clusterReady(ports) {
  for (const port of ports) {
    const info = cli(port, 'cluster', 'info');
    if (!info || !/cluster_state:ok/.test(info) || !new RegExp(`cluster_known_nodes:${ports.length}\\b`).test(info)) return false;
    const replication = cli(port, 'info', 'replication') ?? '';
    if (/role:slave/.test(replication) && !/master_link_status:up/.test(replication)) return false;
  }
  return true;
}

function clusterUrl(ports) {
  return `redis-cluster://${ports.map((port) => `${HOST}:${port}`).join(',')}`;
}

function pidOf(port) {
  const info = cli(port, 'info', 'server') ?? '';
  const match = /process_id:(\d+)/.exec(info);
  return match ? Number(match[1]) : null;
}

/**
 * Starts (or reuses) a cluster on basePort .. basePort + 5. `dir` holds each node's
 * nodes.conf and log (default: a folder of the system's temporary directory named for the port).
 */
async function startRedisCluster({ basePort = 7001, dir } = {}) {
  const ports = Array.from({ length: NODES }, (_, i) => basePort + i);
  const home = dir ?? join(tmpdir(), `redis-cluster-${basePort}`);
  const answering = await Promise.all(ports.map(portAnswers));
  if (answering.every(Boolean)) {
    await waitFor('the running cluster to be ready', () => clusterReady(ports), 10_000);
    const nodes = ports.map((port) => ({ host: HOST, port, pid: pidOf(port) }));
    return { url: clusterUrl(ports), nodes, pids: [], reused: true, stop: async () => {} };
  }
  if (answering.some(Boolean)) {
    throw new Error(`redis cluster: some of ports ${ports[0]}-${ports[ports.length - 1]} are taken and some free: stop what runs there first`);
  }

  const server = binary('redis-server');
  rmSync(home, { recursive: true, force: true });
  const children = ports.map((port) => {
    const nodeDir = join(home, String(port));
    mkdirSync(nodeDir, { recursive: true });
    const child = spawn(
      server,
      [
        '--port', String(port),
        '--bind', HOST,
        '--dir', nodeDir,
        '--cluster-enabled', 'yes',
        '--cluster-config-file', 'nodes.conf',
        '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
        // A replica takes over however long it was cut off from its master.
        '--cluster-replica-validity-factor', '0',
        '--save', '',
        '--appendonly', 'no',
        '--logfile', join(nodeDir, 'redis.log'),
      ],
      { detached: true, stdio: 'ignore' },
    );
    child.unref();
    return { port, child };
  });
  const pids = children.map(({ child }) => child.pid);
  writeFileSync(join(home, 'pids'), `${pids.join('\n')}\n`);
  const stop = async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone (a test killed it)
      }
    }
    await waitFor('the nodes to stop', async () => !(await Promise.all(ports.map(portAnswers))).some(Boolean), 10_000).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitFor('every node to listen', async () => (await Promise.all(ports.map(portAnswers))).every(Boolean), 10_000);
    execFileSync(binary('redis-cli'), ['--cluster', 'create', ...ports.map((port) => `${HOST}:${port}`), '--cluster-replicas', '1', '--cluster-yes'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 30_000,
    });
    await waitFor('the cluster to be ready', () => clusterReady(ports), 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = children.map(({ port, child }) => ({ host: HOST, port, pid: child.pid }));
  return { url: clusterUrl(ports), nodes, pids, reused: false, stop };
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A base port whose six ports and their cluster bus ports (+10000) are free, for a private cluster (tests). */
async function freeBasePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 2_000) * 6;
    const ports = Array.from({ length: NODES }, (_, i) => base + i).flatMap((port) => [port, port + 10_000]);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('redis cluster: found no six free ports');
}

/** Stops a cluster `npm run services:cluster` started (its pids file), if any. */
function stopRecorded(basePort = 7001, dir) {
  const home = dir ?? join(tmpdir(), `redis-cluster-${basePort}`);
  const file = join(home, 'pids');
  if (!existsSync(file)) return false;
  for (const pid of readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  rmSync(home, { recursive: true, force: true });
  return true;
}

module.exports = { startRedisCluster, stopRecorded, freeBasePort, NODE_TIMEOUT_MS };

if (require.main === module) {
  const basePort = Number(process.env.REDIS_CLUSTER_PORT ?? 7001);
  if (process.argv.includes('--stop')) {
    console.log(stopRecorded(basePort) ? `stopped the cluster on ${basePort}-${basePort + NODES - 1}` : 'no cluster of ours was running');
  } else {
    startRedisCluster({ basePort }).then(
      (cluster) => {
        console.error(cluster.reused ? 'reusing the Redis Cluster already running' : `started a Redis Cluster (3 masters, 3 replicas), pids ${cluster.pids.join(' ')}`);
        console.log(`REDIS_URL=${cluster.url}`);
      },
      (error) => {
        console.error(error.message);
        process.exit(1);
      },
    );
  }
}
