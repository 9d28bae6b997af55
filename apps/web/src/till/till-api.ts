// The till's calls: the signed-in staff's token on each, one refresh of the session when the
// access token has expired (401), then the call again; a session that cannot be refreshed is
// signed out, and the router sends the page to the sign-in.
import { ApiError, callApi, type AppName, type CallOptions } from '@web/shared/api';
import { session, signedOut } from './till-session';

let refreshing: Promise<boolean> | null = null;

interface Refreshed {
  accessToken: string;
  refreshToken: string;
}

async function refreshOnce(): Promise<boolean> {
  const refreshToken = session.state.tokens?.refreshToken;
  if (!refreshToken) return false;
  try {
    const tokens = await callApi<Refreshed>('merchant', '/v1/merchant-auth/refresh', { body: { refreshToken } });
    session.signIn(tokens);
    return true;
  } catch {
    return false;
  }
}

export async function tillCall<T>(app: AppName, path: string, options: CallOptions = {}): Promise<T> {
  try {
    return await callApi<T>(app, path, { ...options, token: session.accessToken });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    refreshing ??= refreshOnce().finally(() => (refreshing = null));
    if (!(await refreshing)) {
      signedOut();
      if (!location.hash.startsWith('#/sign-in')) location.hash = '#/sign-in';
      throw error;
    }
    return callApi<T>(app, path, { ...options, token: session.accessToken });
  }
}

/** A page of a keyset listing, as the APIs answer it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
