import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@vouchers/http';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { REDIS_PENDING_COUNT } from './pool-returns.sql';
import { RecordedReturn } from './pool-return.types';

/**
 * The return to the pool on the app's /metrics, like the expiry job's: counters of this process's
 * work since it started, and the returns still waiting for their Redis step, read from Postgres.
 */
@Injectable()
export class PoolReturnMetrics {
  private readonly vouchers: Counter<'source' | 'destination'>;
  private readonly valueFen: Counter<'source' | 'destination'>;
  private readonly redisSteps: Counter<'reply'>;
  private readonly refused: Counter;

  constructor(@Inject(MetricsService) metrics: MetricsService, @Inject(DataSource) db: DataSource) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'pool_return_redis_pending',
      help: "Returns recorded in Postgres whose Redis step is not done yet, read from Postgres (a crash's, or a state busy with a rebuild)",
      registers,
      async collect() {
        const [row] = await db.query(REDIS_PENDING_COUNT).catch(() => [undefined]);
        if (row) this.set(row.pending);
      },
    });
    this.vouchers = new Counter({
      name: 'pool_return_vouchers_total',
      help: 'Vouchers this process returned to the pool (回流), by source (expiry, round_close) and destination',
      labelNames: ['source', 'destination'],
      registers,
    });
    this.valueFen = new Counter({
      name: 'pool_return_value_fen_total',
      help: 'Face value in fen this process returned to the pool, by source and destination',
      labelNames: ['source', 'destination'],
      registers,
    });
    this.redisSteps = new Counter({
      name: 'pool_return_redis_steps_total',
      help: "Replies of the returns' Redis step (return-stock.lua): APPLIED, ALREADY, NOT_LOADED, BUSY, NO_ROUND",
      labelNames: ['reply'],
      registers,
    });
    this.refused = new Counter({
      name: 'pool_return_refused_total',
      help: 'Returns rolled back because the budget figures would not add up (BudgetImbalance)',
      registers,
    });
  }

  recorded(r: RecordedReturn): void {
    this.vouchers.inc({ source: r.source, destination: r.destination }, r.vouchers);
    this.valueFen.inc({ source: r.source, destination: r.destination }, r.valueFen);
  }

  redisStep(reply: string): void {
    this.redisSteps.inc({ reply });
  }

  imbalance(): void {
    this.refused.inc();
  }
}
