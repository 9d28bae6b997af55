import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { ReturnToPool } from './return-to-pool';

/**
 * Runs the return to the pool every POOL_RETURN_EVERY_MS in each issuance process (0: never).
 * Processes side by side are safe: a source is recorded once (unique per source, under the
 * campaign's row lock), a Redis step applied once (by the return's id).
 */
@Injectable()
export class ReturnWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReturnWatch.name);
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    @Inject(ReturnToPool) private readonly job: ReturnToPool,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.poolReturnEveryMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.poolReturnEveryMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.job.run();
    } catch (error) {
      this.logger.warn({ err: error }, 'return to the pool failed; the next tick resumes it');
    } finally {
      this.running = false;
    }
  }
}
