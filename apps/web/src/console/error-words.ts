// An API refusal in words: the console's own sentence for the codes it knows; else, for a
// failure of the server (5xx), that it failed and may be tried again; else a general sentence
// with the code (the API's own message is English: shown only in English).
import { ApiError } from '@web/shared/api';

type Translate = (key: string, values?: Record<string, unknown>) => string;

const KNOWN = ['NETWORK', 'FORBIDDEN', 'SESSION_ENDED', 'DATABASE_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED'];

export function wordsOf(error: unknown, t: Translate, te: (key: string) => boolean, area?: string): string {
  if (!(error instanceof ApiError)) return t('errors.generic', { message: (error as Error)?.message ?? String(error), code: 'CLIENT' });
  if (area && te(`${area}.${error.code}`)) return t(`${area}.${error.code}`);
  if (KNOWN.includes(error.code)) return t(`errors.${error.code}`);
  if (error.status >= 500) return t('errors.serverFailed', { code: error.code });
  return t('errors.generic', { message: error.message, code: error.code });
}

/**
 * A refusal of the account pages (sign-in, activation, a password change) in words: those of
 * the first of `areas` that has words for its code, then how many tries are left where the API
 * counts them, or how long a lock lasts.
 */
export function accountRefusal(error: unknown, t: Translate, te: (key: string) => boolean, areas: readonly string[]): string {
  if (!(error instanceof ApiError)) return wordsOf(error, t, te);
  const details = (error.details ?? {}) as { attemptsLeft?: number; retryAfterSeconds?: number };
  if (error.code === 'ACCOUNT_LOCKED') {
    const seconds = details.retryAfterSeconds ?? error.retryAfterSeconds ?? 900;
    return t('signIn.ACCOUNT_LOCKED', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  const words = wordsOf(error, t, te, areas.find((area) => te(`${area}.${error.code}`)));
  return typeof details.attemptsLeft === 'number' ? `${words} ${t('signIn.attemptsLeft', { n: details.attemptsLeft })}` : words;
}
