/**
 * The faults of `npm run chaos`, each injected once its rush has handed out a share of the
 * round's stock. Each resolves with the moment (performance.now()) recovery is timed from:
 * the fault itself, or, for the rounds of Postgres cuts, the last of them.
 */
import type { Pool } from 'pg';
import { PrivateRedis } from './private-redis';
import { Rush } from './rush';
import { SupervisedApp } from './supervised-app';

export interface FaultContext {
  redis: PrivateRedis;
  app: SupervisedApp;
  /** The run's own pool; its sessions are named RUN_APPLICATION_NAME and are never cut. */
  pg: Pool;
  databaseName: string;
  quantity: number;
  rush: Rush;
  /** Settles when the rush is over: a fault still waiting for its moment then gives up. */
  running: Promise<unknown>;
  log: (message: string) => void;
}

export interface Fault {
  name: FaultName;
  inject(context: FaultContext): Promise<number>;
}

export const FAULT_NAMES = ['redis-restart-empty', 'redis-restart-stale', 'app-kill', 'pg-cut', 'script-flush'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export const RUN_APPLICATION_NAME = 'chaos-run';
/** How long Redis stays down between the kill and the restart, as a restart by a supervisor takes. */
const REDIS_DOWN_MS = 1_000;
/** After the snapshot, the rush goes on this long before Redis comes back from it. */
const STALE_AFTER_MS = 1_500;
const CUT_ROUNDS = 15;
const CUT_EVERY_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class RushEndedFirst extends Error {
  constructor(fault: string) {
    super(`${fault}: the rush ended before the fault's moment; slow the arrivals (CHAOS_ARRIVALS_PER_SEC) or enlarge the crowd`);
  }
}

async function after(context: FaultContext, share: number, fault: string): Promise<void> {
  if (!(await context.rush.untilCreated(Math.floor(context.quantity * share), context.running))) throw new RushEndedFirst(fault);
}

export const FAULTS: Record<FaultName, Fault> = {
  /** Redis dies (SIGKILL) and comes back empty: the state is rebuilt from Postgres. */
  'redis-restart-empty': {
    name: 'redis-restart-empty',
    async inject(context) {
      await after(context, 0.4, this.name);
      const at = performance.now();
      await context.redis.kill();
      await sleep(REDIS_DOWN_MS);
      await context.redis.start();
      return at;
    },
  },
  /**
   * Redis comes back with old data, as a restart with snapshots on or a failover to a lagging
   * replica does: SAVE once a third of the stock is gone, let the rush go on, then kill it
   * and start it from that snapshot.
   */
  'redis-restart-stale': {
    name: 'redis-restart-stale',
    async inject(context) {
      await after(context, 1 / 3, this.name);
      const dir = await context.redis.snapshot();
      context.log(`snapshot taken at ${context.rush.created} vouchers handed out`);
      await sleep(STALE_AFTER_MS);
      context.log(`restarting Redis from it at ${context.rush.created} vouchers handed out`);
      const at = performance.now();
      await context.redis.kill();
      await context.redis.start(dir);
      return at;
    },
  },
  /** The app dies (SIGKILL) mid-rush and its supervisor starts it again at once. */
  'app-kill': {
    name: 'app-kill',
    async inject(context) {
      await after(context, 0.4, this.name);
      const at = performance.now();
      await context.app.killAndRestart();
      return at;
    },
  },
  /** Fifteen rounds, 200 ms apart, of pg_terminate_backend on every session of the database but the run's own. */
  'pg-cut': {
    name: 'pg-cut',
    async inject(context) {
      await after(context, 0.1, this.name);
      let cut = 0;
      let last = performance.now();
      for (let i = 0; i < CUT_ROUNDS; i++) {
        if (i > 0) await sleep(CUT_EVERY_MS);
        last = performance.now();
        const { rowCount } = await context.pg.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
              AND application_name IS DISTINCT FROM $2`,
          [context.databaseName, RUN_APPLICATION_NAME],
        );
        cut += rowCount ?? 0;
      }
      context.log(`cut ${cut} Postgres sessions in ${CUT_ROUNDS} rounds`);
      return last;
    },
  },
  /** SCRIPT FLUSH: every process's EVALSHA fails once and must load its scripts again. */
  'script-flush': {
    name: 'script-flush',
    async inject(context) {
      await after(context, 0.4, this.name);
      const at = performance.now();
      await context.redis.client.script('FLUSH');
      return at;
    },
  },
};
