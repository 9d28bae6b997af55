// One way for every page to call the platform: JSON over /api/<app>/… on the page's own
// origin (the web gateway forwards it), errors as ApiError with the API's stable code.
export type AppName = 'issuance' | 'merchant' | 'redemption' | 'settlement';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's stable error code (SOLD_OUT, ROUND_NOT_OPEN, …), or NETWORK when no answer came. */
    readonly code: string,
    message: string,
    /** Seconds from a 429 or 503 answer's Retry-After header, when it had one. */
    readonly retryAfterSeconds: number | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function apiUrl(app: AppName, path: string): string {
  return `/api/${app}${path.startsWith('/') ? path : `/${path}`}`;
}

export async function callApi<T>(app: AppName, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(apiUrl(app, path), {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const answer: unknown = text === '' ? undefined : safeJson(text);
  if (response.ok) return answer as T;
  const { code, message, details } = (answer ?? {}) as { code?: string; message?: string; details?: unknown };
  throw new ApiError(response.status, code ?? `HTTP_${response.status}`, message ?? response.statusText, retryAfterOf(response), details);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function retryAfterOf(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * How long to wait before trying again after a 429 or 503: the server's Retry-After (1 s when
 * it gave none) stretched by a random 0-50 %, so a crowd told the same second does not return
 * in the same millisecond.
 */
export function retryDelayMs(error: ApiError, random: () => number = Math.random): number {
  const base = (error.retryAfterSeconds ?? 1) * 1000;
  return Math.round(base * (1 + random() * 0.5));
}

export const isRetryable = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.status === 429 || error.status === 503 || error.status === 0);

/**
 * A 401 about the access token (missing, expired, or of a session that ended), which a refresh
 * may cure; not a 401 that refuses what was typed (a wrong password or code), which it may not.
 */
export const isTokenRefusal = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status === 401 && (error.code === 'UNAUTHENTICATED' || error.code === 'ACCESS_TOKEN_REVOKED');
