import type { ClusterNode, RedisOptions } from 'ioredis';

/** What a REDIS_URL names: one Redis, or the seed nodes of a Redis Cluster. */
export type RedisTarget = { kind: 'single'; options: RedisOptions } | { kind: 'cluster'; seeds: ClusterNode[]; options: RedisOptions };

/**
 * Reads REDIS_URL. `redis://` and `rediss://` name one Redis; `redis-cluster://h1:p1,h2:p2`
 * (or `rediss-cluster://` for TLS) names a Redis Cluster by any of its nodes, and user and
 * password, when given, apply to every node. A cluster has no databases: a path is refused.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^(rediss?)(-cluster)?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(\/[^?#]*)?$/.exec(url);
  if (!match) throw new Error(`REDIS_URL ${JSON.stringify(url)} is not redis://host:port or redis-cluster://host:port,host:port`);
  const [, scheme, cluster, username, password, hosts, path] = match;
  const options: RedisOptions = {
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    ...(scheme === 'rediss' ? { tls: {} } : {}),
  };
  const nodes = hosts.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    const host = at > 0 ? hostPort.slice(0, at) : hostPort;
    const port = at > 0 ? Number(hostPort.slice(at + 1)) : 6379;
    if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`REDIS_URL ${JSON.stringify(url)}: ${JSON.stringify(hostPort)} is not host:port`);
    return { host: host.replace(/^\[(.*)\]$/, '$1'), port };
  });
  if (cluster) {
    if (path && path !== '/') throw new Error(`REDIS_URL ${JSON.stringify(url)}: a Redis Cluster has no databases, drop the path`);
    return { kind: 'cluster', seeds: nodes, options };
  }
  if (nodes.length !== 1) throw new Error(`REDIS_URL ${JSON.stringify(url)} names several hosts: write redis-cluster:// for a Redis Cluster`);
  const db = path && path.length > 1 ? Number(path.slice(1)) : 0;
  return { kind: 'single', options: { ...nodes[0], ...options, ...(Number.isInteger(db) && db > 0 ? { db } : {}) } };
}

/** True when REDIS_URL names a Redis Cluster. */
export function isClusterUrl(url: string): boolean {
  return /^rediss?-cluster:\/\//.test(url);
}
