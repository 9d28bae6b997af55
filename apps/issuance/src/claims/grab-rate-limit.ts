import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { AppError, CommonErrorCode } from '@vouchers/common';

/** The window of the per-person grab limit. */
export const GRAB_WINDOW_MS = 10_000;

/**
 * DESIGN §10: grabs are rate limited per person. A person's grabs are counted in this process
 * over fixed 10-second windows, and past `grabLimitPerPerson` they get 429 instead of a turn of
 * the Lua script: a resident pressing on and on, or a script on their account, costs one map
 * entry. It adds no Redis call to the grab; behind N processes a person gets at most N times
 * the limit. Not per address: in a rush thousands of phones share a carrier's address.
 */
@Injectable()
export class GrabRateLimit {
  private counts = new Map<string, number>();
  private windowEndsAt = 0;
  private readonly limit: number;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.limit = config.grabLimitPerPerson;
  }

  /** Counts one grab of the person; throws 429 RATE_LIMITED, with the seconds left of the window, past the limit. */
  count(personId: string): void {
    if (this.limit === 0) return;
    const now = Date.now();
    if (now >= this.windowEndsAt) this.startWindow(now);
    const count = (this.counts.get(personId) ?? 0) + 1;
    this.counts.set(personId, count);
    if (count > this.limit) {
      throw new AppError(CommonErrorCode.RateLimited, 'Too many grabs in a few seconds; wait a moment', {
        retryAfterSeconds: Math.max(1, Math.ceil((this.windowEndsAt - now) / 1000)),
      });
    }
  }

  /** A new window from `now`: everyone starts from zero, and the old counts go with their map. */
  startWindow(now = Date.now()): void {
    this.counts = new Map();
    this.windowEndsAt = now + GRAB_WINDOW_MS;
  }
}
