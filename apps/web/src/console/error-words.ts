// An API refusal in words: the console's own sentence for the codes it knows, else the API's
// message with its code (never a bare stack or status number).
import { ApiError } from '@web/shared/api';

type Translate = (key: string, values?: Record<string, unknown>) => string;

const KNOWN = ['NETWORK', 'FORBIDDEN', 'SESSION_ENDED', 'DATABASE_UNAVAILABLE'];

export function wordsOf(error: unknown, t: Translate, te: (key: string) => boolean, area?: string): string {
  if (!(error instanceof ApiError)) return t('errors.generic', { message: (error as Error)?.message ?? String(error), code: 'CLIENT' });
  if (area && te(`${area}.${error.code}`)) return t(`${area}.${error.code}`);
  if (KNOWN.includes(error.code)) return t(`errors.${error.code}`);
  return t('errors.generic', { message: error.message, code: error.code });
}
