// The grab button's logic (grab-button-state.ts), in jest's unit project: a double press is
// ignored, 429 and 503 are waited out by Retry-After with jitter and tried again with the same
// key, and each ending has its outcome.
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../shared/api';
import { createGrabRunner, type GrabPhase, newIdempotencyKey, outcomeOfError } from './grab-button-state';

const refusal = (status: number, code: string, retryAfterSeconds: number | null = null) => new ApiError(status, code, code, retryAfterSeconds);

describe('grab button state', () => {
  it('ignores a second press while the first is in flight', async () => {
    let finish: (value: { created: boolean; voucher: string }) => void = () => undefined;
    let calls = 0;
    const runner = createGrabRunner<string>({
      attempt: () => {
        calls += 1;
        return new Promise((resolve) => (finish = resolve));
      },
      onPhase: () => undefined,
    });
    const first = runner.press();
    expect(runner.busy).toBe(true);
    expect(await runner.press()).toBeNull();
    finish({ created: true, voucher: 'v1' });
    expect(await first).toEqual({ outcome: 'claimed', voucher: 'v1', attempts: 1 });
    expect(calls).toBe(1);
    expect(runner.busy).toBe(false);
  });

  it('waits out 429 and 503 by Retry-After with jitter, with the same Idempotency-Key', async () => {
    const answers = [refusal(429, 'RATE_LIMITED', 1), refusal(503, 'ADMISSION_REBUILDING', 2)];
    const keys: string[] = [];
    const slept: number[] = [];
    const phases: GrabPhase[] = [];
    const runner = createGrabRunner({
      attempt: async (key) => {
        keys.push(key);
        const next = answers.shift();
        if (next) throw next;
        return { created: true, voucher: 'v2' };
      },
      onPhase: (phase) => phases.push(phase),
      sleep: async (ms) => void slept.push(ms),
      random: () => 0.5,
    });
    const result = await runner.press();
    expect(result).toEqual({ outcome: 'claimed', voucher: 'v2', attempts: 3 });
    // 1 s and 2 s, each stretched by a quarter (jitter 0-50 %, here the middle).
    expect(slept).toEqual([1250, 2500]);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(phases.map((phase) => phase.kind)).toEqual(['grabbing', 'waiting', 'grabbing', 'waiting', 'grabbing', 'done']);
  });

  it('gives up with busy after its attempts, and says each refusal in its own words', async () => {
    const runner = createGrabRunner({
      attempt: async () => {
        throw refusal(503, 'ADMISSION_UNAVAILABLE', 1);
      },
      onPhase: () => undefined,
      sleep: async () => undefined,
      maxAttempts: 3,
    });
    expect(await runner.press()).toEqual({ outcome: 'busy', voucher: null, attempts: 3 });
    expect(outcomeOfError(refusal(409, 'SOLD_OUT'))).toBe('soldOut');
    expect(outcomeOfError(refusal(409, 'ALREADY_CLAIMED'))).toBe('alreadyClaimed');
    expect(outcomeOfError(refusal(409, 'ROUND_NOT_OPEN'))).toBe('notOpen');
    expect(outcomeOfError(refusal(403, 'REAL_NAME_REQUIRED'))).toBe('realNameRequired');
    expect(outcomeOfError(refusal(401, 'UNAUTHORIZED'))).toBe('signInRequired');
    expect(outcomeOfError(refusal(404, 'RESIDENT_NOT_FOUND'))).toBe('sessionEnded');
    expect(outcomeOfError(refusal(500, 'INTERNAL'))).toBe('failed');
    expect(outcomeOfError(new Error('boom'))).toBe('failed');
  });

  it('answers 200 (this person already held the round’s voucher) as alreadyHeld, not a new claim', async () => {
    const runner = createGrabRunner({ attempt: async () => ({ created: false, voucher: 'v3' }), onPhase: () => undefined });
    expect((await runner.press())?.outcome).toBe('alreadyHeld');
    expect(newIdempotencyKey(() => 0)).toBe(`h5-${'a'.repeat(24)}`);
  });
});
