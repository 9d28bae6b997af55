// The resident's sign-in on this phone: tokens (shared/session.ts, under "h5"), whether the
// real name is verified, and calls to the APIs that renew an expired access token once with the
// refresh token before giving up.
import { reactive } from 'vue';
import { ApiError, callApi, type AppName, type CallOptions } from '@web/shared/api';
import { createSession } from '@web/shared/session';
import { forgetNoticeAgreed } from './notice-agreement';

export interface ResidentSummary {
  id: string;
  phone: string;
  verified: boolean;
}

export interface SessionAnswer {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  resident: ResidentSummary;
}

const VERIFIED_KEY = 'vouchers.h5.resident';

export const session = createSession('h5');

/** The signed-in resident as last seen (masked phone, verified), kept beside the tokens. */
export const resident = reactive<{ summary: ResidentSummary | null }>({ summary: readSummary() });

function readSummary(): ResidentSummary | null {
  try {
    const raw = localStorage.getItem(VERIFIED_KEY);
    return raw && session.accessToken ? (JSON.parse(raw) as ResidentSummary) : null;
  } catch {
    return null;
  }
}

export function rememberSignIn(answer: SessionAnswer): void {
  session.signIn(answer);
  rememberResident(answer.resident);
}

export function rememberResident(summary: ResidentSummary): void {
  resident.summary = { id: summary.id, phone: summary.phone, verified: summary.verified };
  localStorage.setItem(VERIFIED_KEY, JSON.stringify(resident.summary));
}

/** After the real-name check: the new access token carries the verification. */
export function replaceAccessToken(accessToken: string): void {
  const tokens = session.state.tokens;
  if (tokens) session.signIn({ accessToken, refreshToken: tokens.refreshToken });
}

export function signOut(): void {
  const refreshToken = session.state.tokens?.refreshToken;
  session.signOut();
  resident.summary = null;
  localStorage.removeItem(VERIFIED_KEY);
  forgetNoticeAgreed();
  if (refreshToken) void callApi('issuance', '/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair (one trade at a time); false when the session is over. */
function refresh(): Promise<boolean> {
  const refreshToken = session.state.tokens?.refreshToken;
  if (!refreshToken) return Promise.resolve(false);
  refreshing ??= callApi<SessionAnswer>('issuance', '/v1/auth/refresh', { body: { refreshToken } })
    .then((answer) => {
      rememberSignIn(answer);
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) signOut();
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** A call as the signed-in resident; a 401 renews the session once and asks again. */
export async function residentCall<T>(app: AppName, path: string, options: CallOptions = {}): Promise<T> {
  try {
    return await callApi<T>(app, path, { ...options, token: session.accessToken });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !session.state.tokens) throw error;
    if (!(await refresh())) throw error;
    return callApi<T>(app, path, { ...options, token: session.accessToken });
  }
}

/** A call as the resident that also hands back whether the answer was 201 (the grab). */
export async function residentGrab<T>(roundId: string, idempotencyKey: string): Promise<{ created: boolean; voucher: T }> {
  const send = async () => {
    const response = await fetch(`/api/issuance/v1/rounds/${encodeURIComponent(roundId)}/claims`, {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `Bearer ${session.accessToken ?? ''}`, 'idempotency-key': idempotencyKey },
    }).catch((error: Error) => {
      throw new ApiError(0, 'NETWORK', error.message);
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.ok) return { created: response.status === 201, voucher: body as T };
    const { code, message, details } = (body ?? {}) as { code?: string; message?: string; details?: unknown };
    const retryAfter = response.headers.get('retry-after');
    const seconds = retryAfter === null || !Number.isFinite(Number(retryAfter)) ? null : Number(retryAfter);
    throw new ApiError(response.status, code ?? `HTTP_${response.status}`, message ?? response.statusText, seconds, details);
  };
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !session.state.tokens) throw error;
    if (!(await refresh())) throw error;
    return send();
  }
}
