// What the pages that send and check one-time codes share (sign-in, the number change): the
// resend countdown, and the words for a refused send or check (signIn.errors in messages.ts).
import { onBeforeUnmount, ref, type Ref } from 'vue';
import { ApiError } from '@web/shared/api';

/** The seconds until another code may be asked for, counting down; stops when the page goes. */
export function useResendCountdown(): { cooldown: Ref<number>; startCooldown: (seconds: number) => void } {
  const cooldown = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  function startCooldown(seconds: number): void {
    cooldown.value = seconds;
    clearInterval(timer);
    timer = setInterval(() => {
      cooldown.value = Math.max(0, cooldown.value - 1);
      if (cooldown.value === 0) clearInterval(timer);
    }, 1000);
  }
  onBeforeUnmount(() => clearInterval(timer));
  return { cooldown, startCooldown };
}

const OTP_REFUSALS = new Set(['INVALID_PHONE', 'OTP_PHONE_LIMIT', 'OTP_ADDRESS_LIMIT', 'OTP_EXPIRED', 'OTP_TOO_MANY_TRIES', 'SMS_UNAVAILABLE', 'VALIDATION_FAILED']);

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * The words for a refused send or check of a code, or null when the refusal is not about the
 * code (the page then has its own words, or the general ones). A cool-down restarts the countdown.
 */
export function otpRefusal(t: Translate, caught: ApiError, startCooldown: (seconds: number) => void): string | null {
  const details = (caught.details ?? {}) as { retryAfterSeconds?: number; triesLeft?: number };
  if (caught.code === 'OTP_COOLDOWN') {
    const seconds = Math.ceil(details.retryAfterSeconds ?? caught.retryAfterSeconds ?? 60);
    startCooldown(seconds);
    return t('signIn.errors.OTP_COOLDOWN', { s: seconds });
  }
  if (caught.code === 'OTP_INVALID') {
    return typeof details.triesLeft === 'number' ? t('signIn.errors.OTP_INVALID', { n: details.triesLeft }) : t('signIn.errors.OTP_INVALID_NO_COUNT');
  }
  return OTP_REFUSALS.has(caught.code) ? t(`signIn.errors.${caught.code}`) : null;
}

/** The general words for a failure no page has its own for. */
export function generalFailure(t: Translate, caught: unknown): string {
  const busy = caught instanceof ApiError && (caught.status === 429 || caught.status === 503 || caught.status === 0);
  return t(busy ? 'common.busy' : 'common.failed');
}
