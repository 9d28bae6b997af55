// Types of scripts/redis-cluster.cjs, for the tests and benchmarks that start a cluster.
export interface ClusterNodeProcess {
  host: string;
  port: number;
  /** null when a reused cluster's node did not say */
  pid: number | null;
}

export interface RunningCluster {
  /** redis-cluster://127.0.0.1:<port>,... as REDIS_URL takes it */
  url: string;
  nodes: ClusterNodeProcess[];
  /** The processes this call started (none when it reused a running cluster). */
  pids: number[];
  reused: boolean;
  /** Ends the processes this call started and deletes their folder. */
  stop(): Promise<void>;
}

export function startRedisCluster(options?: { basePort?: number; dir?: string }): Promise<RunningCluster>;
export function stopRecorded(basePort?: number, dir?: string): boolean;
export function freeBasePort(): Promise<number>;
export const NODE_TIMEOUT_MS: number;
