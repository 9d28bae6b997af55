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
