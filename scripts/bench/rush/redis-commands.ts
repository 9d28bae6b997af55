/**
 * What a rush asked of Redis, read from the servers themselves (INFO commandstats): calls and
 * server time per command, masters and replicas apart. It tells how many grabs one reserve
 * script carried, and where a cluster's Redis time goes beside one Redis's.
 */
import { Cluster } from 'ioredis';
import type { Redis } from '@vouchers/redis';

export interface CommandTally {
  calls: number;
  usec: number;
}

/** Per role ('master' or 'replica'), per command: what the servers counted since their stats were reset. */
export type CommandStats = Record<'master' | 'replica', Record<string, CommandTally>>;

function nodesOf(client: Redis): Array<{ role: 'master' | 'replica'; node: Redis }> {
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
