import { AppError, CommonErrorCode } from '@vouchers/common';

/**
 * The limits every request body meets, in one place: Fastify's parsers and the raw routes
 * (below Fastify) apply the same ones.
 */

/** The most bytes of a body any route reads (413 PAYLOAD_TOO_LARGE beyond); routes may set less. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The deepest nesting of arrays and objects a JSON body may have. The deepest body a client
 * sends (a campaign: voucher types, their rounds) is 4 levels; a body thousands deep is only
 * an attack on whatever walks it recursively (the NUL check, class-transformer).
 */
export const MAX_JSON_DEPTH = 32;

/** The most object keys in one JSON body, all levels together; the largest real body (a campaign of 3 types of 60 rounds) has about 1,000. */
export const MAX_JSON_KEYS = 5_000;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const tooComplex = (what: string) =>
  new AppError(CommonErrorCode.BodyTooComplex, `The JSON body is too complex: ${what}`, {
    maxDepth: MAX_JSON_DEPTH,
    maxKeys: MAX_JSON_KEYS,
  });

/**
 * Why a JSON text may not be parsed (400 BODY_TOO_COMPLEX), or null: one pass over its bytes,
 * before JSON.parse builds anything, counting nesting and keys outside strings. UTF-8 bytes of
 * other characters never equal the ASCII ones looked for. A text that is not JSON is left to
 * the parser to refuse.
 */
export function jsonShapeRefusal(text: Uint8Array): AppError | null {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > MAX_JSON_DEPTH) return tooComplex(`nested deeper than ${MAX_JSON_DEPTH}`);
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    } else if (byte === COLON) {
      if (++keys > MAX_JSON_KEYS) return tooComplex(`more than ${MAX_JSON_KEYS} keys`);
    }
  }
  return null;
}
