import { AppConfig } from '@vouchers/config';
import { AppError } from '@vouchers/common';
import { GRAB_WINDOW_MS, GrabRateLimit } from './grab-rate-limit';

const limitOf = (grabLimitPerPerson: number) => new GrabRateLimit({ grabLimitPerPerson } as AppConfig);

function refusal(run: () => void): AppError | null {
  try {
    run();
    return null;
  } catch (error) {
    return error as AppError;
  }
}

describe('GrabRateLimit', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lets a person grab up to the limit in a window, then answers 429 with the seconds left', () => {
    const limit = limitOf(3);
    for (let i = 0; i < 3; i++) limit.count('alice');
    jest.advanceTimersByTime(2_500);
    const refused = refusal(() => limit.count('alice'));
    expect([refused?.status, refused?.code, refused?.details?.retryAfterSeconds]).toEqual([429, 'RATE_LIMITED', 8]);
    expect(refusal(() => limit.count('bob'))).toBeNull();
  });

  it('starts everyone from zero in the next window', () => {
    const limit = limitOf(1);
    limit.count('alice');
    expect(refusal(() => limit.count('alice'))).not.toBeNull();
    jest.advanceTimersByTime(GRAB_WINDOW_MS);
    expect(refusal(() => limit.count('alice'))).toBeNull();
  });

  it('counts nothing when the limit is 0', () => {
    const limit = limitOf(0);
    for (let i = 0; i < 1_000; i++) limit.count('alice');
    expect(refusal(() => limit.count('alice'))).toBeNull();
  });
});
