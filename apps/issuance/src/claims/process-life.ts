import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { REDIS, Redis } from '@vouchers/redis';
import { randomBytes } from 'node:crypto';

/** How often a live process says so, and how long that lasts without it. */
const HEARTBEAT_EVERY_MS = 1_000;
export const HEARTBEAT_TTL_MS = 3_000;

/** The Redis key that says a process life is running (one slot of its own; ioredis adds the prefix). */
export const lifeKey = (life: string) => `life:${life}`;

/** The application_name of a process life's claim connections, as pg_stat_activity shows it. */
export const claimConnectionName = (life: string) => `issuance-claims:${life}`;

/**
 * This process's life: an id of its own, new at every start, that each reservation it makes
 * carries (grab-reserve.lua) and its claim connections carry in Postgres. A life is over when
 * both are gone: its heartbeat key in Redis has expired and no connection of it is left in
 * Postgres, so no insert of it can still commit. Its reservations are then orphans, settled by
 * any process at once (AbandonedReservations) instead of after the sweeper's age.
 */
@Injectable()
export class ProcessLife implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ProcessLife.name);
  readonly id = randomBytes(6).toString('hex');
  private timer: NodeJS.Timeout | null = null;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_EVERY_MS);
    this.timer.unref();
    this.beat();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    // A missed beat only lets others settle this life's reservations early; its claims still
    // meet the backstop in Postgres, and a late row is found by the next check.
    this.redis.set(lifeKey(this.id), '1', 'PX', HEARTBEAT_TTL_MS).catch((error: unknown) => this.logger.debug({ err: error }, 'heartbeat missed'));
  }
}
