import { AppError, CommonErrorCode } from '@vouchers/common';

/**
 * Postgres text cannot hold the NUL character: a request carrying one in a string would reach
 * the database and fail there as a 500. Every app refuses it up front instead (400).
 */
export const nulRefused = () => new AppError(CommonErrorCode.MalformedRequest, 'Text may not contain the NUL character (U+0000)');

/**
 * Whether a parsed JSON value holds a NUL character in any string, key or value, at any depth.
 * Only strings, arrays and plain objects are looked into: a body that is a stream or a buffer
 * (a CSV upload) is left to its own reader. The walk keeps its own stack, not the call stack:
 * however deep a body is nested, it cannot overflow (a body thousands deep did, as a 500).
 */
export function holdsNul(value: unknown): boolean {
  // Most requests have no body: no stack for them.
  if (typeof value !== 'object' || value === null) return typeof value === 'string' && value.includes('\u0000');
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
      continue;
    }
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      for (const inner of next) pending.push(inner);
      continue;
    }
    const prototype: unknown = Object.getPrototypeOf(next);
    if (prototype !== Object.prototype && prototype !== null) continue;
    for (const [key, inner] of Object.entries(next)) {
      if (key.includes('\u0000')) return true;
      pending.push(inner);
    }
  }
  return false;
}

/** Whether a request target (path and query, still percent-encoded) carries an encoded NUL. */
export function urlHoldsNul(url: string): boolean {
  return url.includes('%00') || url.includes('\u0000');
}
