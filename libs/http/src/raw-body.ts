import { AppError, CommonErrorCode } from '@vouchers/common';
import type { IncomingMessage } from 'node:http';
import { jsonShapeRefusal } from './body-limits';
import { holdsUnstorableText, unstorableTextRefused } from './unstorable-text';

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

const unreadable = (status: 400 | 415) =>
  new AppError(status === 415 ? CommonErrorCode.UnsupportedMediaType : CommonErrorCode.MalformedRequest, 'The request could not be read');
const tooLarge = () => new AppError(CommonErrorCode.PayloadTooLarge, 'The request body is too large');

/** A JSON escape of a NUL or of a surrogate. */
const ESCAPED_UNSTORABLE = /\\u(0000|d[89a-f])/i;

/** Whether the request declares a body (a length other than 0, or chunks). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The body's bytes, or nothing when `keep` is false: 413 as soon as it is declared or read
 * past `limit` bytes. Reading stops there; the answer closes the connection (RawRoutes), so
 * the rest of an oversized upload is never read.
 */
function collect(request: IncomingMessage, limit: number, keep: boolean): Promise<Buffer> {
  if (Number(request.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData).pause();
        reject(tooLarge());
      } else if (keep) chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => {
      if (size <= limit) resolve(keep ? Buffer.concat(chunks, size) : Buffer.alloc(0));
    });
    request.on('error', () => reject(unreadable(400)));
  });
}

/**
 * The JSON body of a request, read as Fastify's parser reads it: undefined when there is no
 * body; 415 when the body is not declared JSON; 413 beyond `limit` bytes (declared or read);
 * 400 when it is empty, nested or keyed past the limits every body has (jsonShapeRefusal),
 * does not parse, or holds a NUL character.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  if (!hasBody(request)) {
    request.resume();
    return undefined;
  }
  if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) throw unreadable(415);
  const bytes = await collect(request, limit, true);
  const refusal = jsonShapeRefusal(bytes);
  if (refusal) throw refusal;
  let body: unknown;
  let text: string;
  try {
    text = bytes.toString('utf8');
    body = JSON.parse(text);
  } catch {
    throw unreadable(400);
  }
  // JSON can carry a NUL or a lone surrogate only escaped (UTF-8 holds neither alone), so the
  // walk runs only for a body that has such an escape.
  if (ESCAPED_UNSTORABLE.test(text) && holdsUnstorableText(body)) throw unstorableTextRefused();
  return body;
}

/**
 * Reads and drops the body of a route that takes none, up to `limit` bytes (413 beyond, as on
 * every route); null when there is no body, so a request without one waits for nothing.
 */
export function dropBody(request: IncomingMessage, limit: number): Promise<unknown> | null {
  if (!hasBody(request)) {
    request.resume();
    return null;
  }
  return collect(request, limit, false);
}
