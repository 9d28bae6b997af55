// The console's calls: the official's bearer token on each, one refresh (POST
// /v1/official-auth/refresh) when the access token has run out, and back to sign-in when the
// session has ended. Files go up and down here too: a CSV upload with its progress (XHR, so the
// bytes sent can be shown) and a download with the token (fetch, then a link to the blob).
import { ApiError, apiUrl, callApi, isTokenRefusal, type AppName, type CallOptions } from '@web/shared/api';
import { officialSession, type OfficialSessionAnswer } from './official-session';

let onSessionEnded: () => void = () => undefined;
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

let refreshing: Promise<boolean> | null = null;

async function refreshOnce(): Promise<boolean> {
  const refreshToken = officialSession.refreshToken;
  if (!refreshToken) return false;
  refreshing ??= callApi<OfficialSessionAnswer>('settlement', '/v1/official-auth/refresh', { body: { refreshToken } })
    .then((answer) => {
      officialSession.signIn(answer);
      return true;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

function ended(): never {
  officialSession.signOut();
  onSessionEnded();
  throw new ApiError(401, 'SESSION_ENDED', 'The session has ended');
}

/**
 * callApi with the official's token; a refused token refreshes once and tries again. A 401 that
 * refuses what the official typed (a wrong password on the password page) is theirs to read.
 */
export async function call<T>(app: AppName, path: string, options: CallOptions = {}): Promise<T> {
  try {
    return await callApi<T>(app, path, { ...options, token: officialSession.accessToken });
  } catch (error) {
    if (!isTokenRefusal(error)) throw error;
    if (!(await refreshOnce())) ended();
    try {
      return await callApi<T>(app, path, { ...options, token: officialSession.accessToken });
    } catch (again) {
      if (isTokenRefusal(again)) ended();
      throw again;
    }
  }
}

/** A query string of the values given (undefined, null and '' left out). */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Downloads what the API answers as a file, with the token, under the server's file name when it gives one. */
export async function download(app: AppName, path: string, fallbackName: string): Promise<void> {
  const attempt = () => fetch(apiUrl(app, path), { headers: { authorization: `Bearer ${officialSession.accessToken ?? ''}` } });
  let response = await attempt();
  if (response.status === 401 && (await refreshOnce())) response = await attempt();
  if (!response.ok) throw await errorOf(response);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; details?: unknown };
  return new ApiError(response.status, body.code ?? `HTTP_${response.status}`, body.message ?? response.statusText, null, body.details);
}

/** Sends a CSV file as the request body (text/csv), reporting the share of bytes sent (0-1) as it goes. */
export function uploadCsv<T>(app: AppName, path: string, file: Blob, onProgress: (sent: number) => void): Promise<T> {
  const send = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', apiUrl(app, path));
      request.setRequestHeader('content-type', 'text/csv');
      request.setRequestHeader('accept', 'application/json');
      request.setRequestHeader('authorization', `Bearer ${officialSession.accessToken ?? ''}`);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      request.onload = () => resolve({ status: request.status, text: request.responseText });
      request.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload did not reach the server'));
      request.send(file);
    });
  return (async () => {
    let answer = await send();
    if (answer.status === 401 && (await refreshOnce())) answer = await send();
    const body = answer.text ? (JSON.parse(answer.text) as Record<string, unknown>) : {};
    if (answer.status >= 200 && answer.status < 300) return body as T;
    throw new ApiError(answer.status, String(body.code ?? `HTTP_${answer.status}`), String(body.message ?? ''), null, body.details);
  })();
}
