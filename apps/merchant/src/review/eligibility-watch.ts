import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EligibilityIndex } from '@vouchers/eligibility';

const WATCH_EVERY_MS = 5_000;

/**
 * Keeps the eligibility index loaded: at start (before the app takes requests) and then
 * every few seconds, it rebuilds the index from Postgres when the index's marker is missing,
 * i.e. Redis was restarted or flushed, or a write after a commit failed (EligibilitySync).
 * Several instances may watch at once; the index's rebuild lock lets one of them work.
 */
@Injectable()
export class EligibilityWatch implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EligibilityWatch.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(@Inject(EligibilityIndex) private readonly index: EligibilityIndex) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), WATCH_EVERY_MS);
    this.timer.unref();
  }

  /** Before the connections close: stop the timer and let a rebuild under way finish. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  tick(): Promise<void> {
    this.running ??= this.check().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async check(): Promise<void> {
    try {
      if (await this.index.ensureLoaded()) this.logger.log('eligibility index was missing and has been rebuilt from Postgres');
    } catch (error) {
      // Redis or Postgres is down: the next tick tries again; the app keeps serving meanwhile.
      this.logger.warn({ err: error }, 'eligibility watch could not check the index');
    }
  }
}
