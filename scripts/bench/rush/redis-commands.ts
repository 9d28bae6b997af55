/**
 * What a rush asked of Redis, read from the servers themselves (INFO commandstats): calls and
 * server time per command, masters and replicas apart. It tells how many grabs one reserve
 * script carried, and where a cluster's Redis time goes beside one Redis's. INFO cpu splits the
 * servers' CPU the same way.
 */
import { Cluster } from 'ioredis';
import type { Redis } from '@vouchers/redis';

export interface CommandTally {
  calls: number;
  usec: number;
}

type Role = 'master' | 'replica';

/** Per role, per command: what the servers counted since their stats were reset. */
export type CommandStats = Record<Role, Record<string, CommandTally>>;

/** Per role: CPU seconds (user and system) the servers have spent since they started. */
export type CpuByRole = Record<Role, number>;

function nodesOf(client: Redis): Array<{ role: Role; node: Redis }> {
  if (client instanceof Cluster) {
    return [
      ...client.nodes('master').map((node) => ({ role: 'master' as const, node })),
      ...client.nodes('slave').map((node) => ({ role: 'replica' as const, node })),
    ];
  }
  return [{ role: 'master', node: client }];
}

/** Zeroes every server's counters (CONFIG RESETSTAT), so the next read covers what follows. */
export async function resetCommandStats(client: Redis): Promise<void> {
  await client.ping(); // a Cluster client knows its nodes once it is ready
  await Promise.all(nodesOf(client).map(({ node }) => node.config('RESETSTAT')));
}

export async function readCommandStats(client: Redis): Promise<CommandStats> {
  const stats: CommandStats = { master: {}, replica: {} };
  for (const { role, node } of nodesOf(client)) {
    const info = await node.info('commandstats');
    for (const line of info.split('\n')) {
      const found = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
      if (!found) continue;
      const tally = (stats[role][found[1]] ??= { calls: 0, usec: 0 });
      tally.calls += Number(found[2]);
      tally.usec += Number(found[3]);
    }
  }
  return stats;
}

/**
 * The servers' own CPU by role (INFO cpu: used_cpu_user and used_cpu_sys, since each started),
 * read at two moments: their difference is what masters and replicas spent between. Roles are
 * the nodes' when read; a failover between the two reads would mix them (none in a rush).
 */
export async function readCpuByRole(client: Redis): Promise<CpuByRole> {
  await client.ping();
  const spent: CpuByRole = { master: 0, replica: 0 };
  for (const { role, node } of nodesOf(client)) {
    const info = await node.info('cpu');
    for (const field of ['used_cpu_user', 'used_cpu_sys']) spent[role] += Number(new RegExp(`^${field}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  }
  return spent;
}

/** One line: the masters' and the replicas' CPU between two readCpuByRole, in µs an answered grab. */
export function describeCpuByRole(before: CpuByRole, after: CpuByRole, grabs: number): string {
  const us = (role: Role) => Math.round(((after[role] - before[role]) * 1e6) / Math.max(1, grabs));
  return `cpu     : masters ${us('master')} µs an answered grab, replicas ${us('replica')} (the servers' INFO cpu over the rush)`;
}

/** One line per role: each command's calls per answered grab and µs a call, the busiest first. */
export function describeCommandStats(stats: CommandStats, grabs: number): string[] {
  return (['master', 'replica'] as const)
    .filter((role) => Object.keys(stats[role]).length > 0)
    .map((role) => {
      const rows = Object.entries(stats[role])
        .sort(([, a], [, b]) => b.usec - a.usec)
        .slice(0, 6)
        .map(([name, t]) => `${name} ${(t.calls / grabs).toFixed(3)} a grab, ${(t.usec / Math.max(1, t.calls)).toFixed(1)} µs a call`);
      // No sum over the commands: a script's own commands are counted again inside its evalsha.
      return `${role === 'master' ? 'masters ' : 'replicas'}: ${rows.join('; ')}`;
    });
}
