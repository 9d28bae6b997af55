import { AppError, CommonErrorCode } from '@vouchers/common';

/**
 * Text Postgres cannot store as sent: the NUL character (text refuses it), and a lone UTF-16
 * surrogate (JSON may escape one, \ud800, but it is no character: jsonb refuses it, an audit
 * entry's detail with it failed as a 500, and a text column got U+FFFD in its place, a 2xx
 * that stored something else). Every app refuses such text up front instead (400).
 */
export const unstorableTextRefused = () =>
  new AppError(CommonErrorCode.MalformedRequest, 'Text may not contain the NUL character (U+0000) or a lone UTF-16 surrogate');

/** A surrogate without its partner: a high one not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * Whether a parsed JSON value holds unstorable text (a NUL, a lone surrogate) in any string,
 * key or value, at any depth. Only strings, arrays and plain objects are looked into: a body that is a stream or a buffer
 * (a CSV upload) is left to its own reader. The walk keeps its own stack, not the call stack:
 * however deep a body is nested, it cannot overflow (a body thousands deep did, as a 500).
 */
export function holdsUnstorableText(value: unknown): boolean {
  // Most requests have no body: no stack for them.
  if (typeof value !== 'object' || value === null) return typeof value === 'string' && unstorable(value);
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (unstorable(next)) return true;
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
      if (unstorable(key)) return true;
      pending.push(inner);
    }
  }
  return false;
}

/** Whether a request target (path and query, still percent-encoded) carries an encoded NUL. */
export function urlHoldsNul(url: string): boolean {
  return url.includes('%00') || url.includes('\u0000');
}
