// What the pages that send and check one-time codes share (sign-in, the number change): the
// number and code they ask for, the send with its resend countdown, and the words for a refused
// send or check (signIn.errors in messages.ts).
import { onBeforeUnmount, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
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

/** What a send of a code answers: where it went, and (in development) the code. */
export interface CodeSent {
  sentTo?: string;
  devCode?: string;
}

/**
 * A page's number and its code (the fields of components/PhoneCodeFields.vue): sending the code
 * through `send`, what was sent, and the page's one error line, where `ownWords` may word a
 * refusal first (the page's own), then a refusal of the code, then the general words.
 */
export function useCodeForm(send: (phone: string) => Promise<CodeSent>, ownWords: (caught: ApiError) => string | null = () => null) {
  const { t } = useI18n();
  const phone = ref('');
  const code = ref('');
  const sentTo = ref('');
  const devCode = ref('');
  const error = ref('');
  const sending = ref(false);
  const { cooldown, startCooldown } = useResendCountdown();

  function sayError(caught: unknown): void {
    const words = caught instanceof ApiError ? (ownWords(caught) ?? otpRefusal(t, caught, startCooldown)) : null;
    error.value = words ?? generalFailure(t, caught);
  }

  async function sendCode(): Promise<void> {
    error.value = '';
    sending.value = true;
    try {
      const answer = await send(phone.value);
      sentTo.value = answer.sentTo ?? phone.value;
      devCode.value = answer.devCode ?? '';
      startCooldown(60);
    } catch (caught) {
      sayError(caught);
    } finally {
      sending.value = false;
    }
  }

  /** The code as typed (trimmed), or null with the error said when it is not six digits. */
  function typedCode(): string | null {
    error.value = '';
    const typed = code.value.trim();
    if (/^\d{6}$/.test(typed)) return typed;
    error.value = t('signIn.errors.VALIDATION_FAILED');
    return null;
  }

  return { phone, code, sentTo, devCode, error, sending, cooldown, sendCode, sayError, typedCode };
}

export type CodeForm = ReturnType<typeof useCodeForm>;
