/**
 * CPU time of a benchmark's components, read from /proc/<pid>/stat of their processes: the app
 * processes, every redis-server of the Redis under test (a cluster's replicas too: replication
 * is part of what a grab costs), and the Postgres backends serving the run's database. The
 * set of pids is read again at every sample (once a second during the rush): a backend born
 * during the rush counts from zero, one that ended between two samples loses what it spent
 * after the last (a pool's connections live as long as the app, so that is rare).
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** User + system CPU seconds a process has used, or null when /proc has no such pid (ended, or another pid namespace). */
export function cpuSecondsOfPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    // utime and stime, the 14th and 15th fields of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The pids of one component, read at each sample. */
export type PidSource = () => number[] | Promise<number[]>;

interface Tracked {
  base: number;
  last: number;
}

export class CpuMeter<Name extends string> {
  private readonly seen = new Map<Name, Map<number, Tracked>>();
  private readonly missing = new Set<Name>();
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();

  constructor(private readonly sources: Record<Name, PidSource>) {}

  /** Reads every component's processes now (the baseline) and then once a second. */
  async start(): Promise<void> {
    for (const name of this.names()) this.seen.set(name, new Map());
    await this.sample(true);
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample(false));
    }, 1_000);
  }

  /** CPU seconds each component spent since start; null for one whose processes /proc could not read. */
  async stop(): Promise<Record<Name, number | null>> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    const spent = {} as Record<Name, number | null>;
    for (const name of this.names()) {
      let seconds = 0;
      for (const tracked of this.seen.get(name)!.values()) seconds += tracked.last - tracked.base;
      spent[name] = this.missing.has(name) ? null : seconds;
    }
    return spent;
  }

  /**
   * CPU seconds each component has spent since start, read now from the processes the last
   * sample knew (synchronous: for a moment marked in the middle of a run).
   */
  readNow(): Record<Name, number> {
    const spent = {} as Record<Name, number>;
    for (const name of this.names()) {
      let seconds = 0;
      for (const [pid, tracked] of this.seen.get(name)!) seconds += (cpuSecondsOfPid(pid) ?? tracked.last) - tracked.base;
      spent[name] = seconds;
    }
    return spent;
  }

  private names(): Name[] {
    return Object.keys(this.sources) as Name[];
  }

  private async sample(first: boolean): Promise<void> {
    for (const name of this.names()) {
      const pids = await this.sources[name]();
      const seen = this.seen.get(name)!;
      let read = 0;
      for (const pid of pids) {
        const seconds = cpuSecondsOfPid(pid);
        if (seconds === null) continue; // ended since it was listed: keeps its last reading
        read += 1;
        const tracked = seen.get(pid);
        if (tracked) tracked.last = seconds;
        else seen.set(pid, { base: first ? seconds : 0, last: seconds });
      }
      if (read === 0) this.missing.add(name);
    }
  }
}

/**
 * The Postgres backends of one database (the run's), on a connection of the meter's own that
 * it leaves out. Its auxiliary processes (WAL writer, checkpointer) serve every database of
 * the server, other sessions' too, and are not counted.
 */
export async function postgresBackends(databaseUrl: string): Promise<{ pids: PidSource; close: () => Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-rush-cpu-meter' });
  await client.connect();
  return {
    pids: async () => {
      const result = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return result.rows.map((row) => row.pid);
    },
    close: () => client.end(),
  };
}
