import { AppError, CommonErrorCode } from '@vouchers/common';

/**
 * Postgres text cannot hold the NUL character: a request carrying one in a string would reach
 * the database and fail there as a 500. Every app refuses it up front instead (400).
 */
export const nulRefused = () => new AppError(CommonErrorCode.MalformedRequest, 'Text may not contain the NUL character (U+0000)', 400);

/**
 * Whether a parsed JSON value holds a NUL character in any string, key or value, at any depth.
 * Only strings, arrays and plain objects are looked into: a body that is a stream or a buffer
 * (a CSV upload) is left to its own reader.
 */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000') || holdsNul(inner)) return true;
  }
  return false;
}

/** Whether a request target (path and query, still percent-encoded) carries an encoded NUL. */
export function urlHoldsNul(url: string): boolean {
  return url.includes('%00') || url.includes('\u0000');
}
