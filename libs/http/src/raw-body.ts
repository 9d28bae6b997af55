import { AppError, CommonErrorCode } from '@vouchers/common';
import type { IncomingMessage } from 'node:http';
import { holdsNul, nulRefused } from './nul-text';

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

const unreadable = (status: 400 | 415) =>
  new AppError(status === 415 ? CommonErrorCode.UnsupportedMediaType : CommonErrorCode.MalformedRequest, 'The request could not be read', status);
const tooLarge = () => new AppError(CommonErrorCode.PayloadTooLarge, 'The request body is too large', 413);

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The JSON body of a request, read as Fastify's parser reads it: undefined when there is no
 * body; 415 when the body is not declared JSON; 413 beyond `limit` bytes (declared or read);
 * 400 when it is empty, does not parse, or holds a NUL character.
 */
export function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  if (!hasBody(request)) {
    request.resume();
    return Promise.resolve(undefined);
  }
  if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) return Promise.reject(unreadable(415));
  if (Number(request.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        // The rest is read and dropped, so the connection stays usable for the answer.
        request.off('data', onData).resume();
        reject(tooLarge());
      }
    };
    request.on('data', onData);
    request.on('end', () => {
      if (size > limit) return;
      let body: unknown;
      try {
        const text = Buffer.concat(chunks, size).toString('utf8');
        body = JSON.parse(text);
        // JSON can only carry a NUL escaped, so the walk runs only for a body that has the escape.
        if (text.includes('\\u0000') && holdsNul(body)) return reject(nulRefused());
      } catch {
        return reject(unreadable(400));
      }
      resolve(body);
    });
    request.on('error', () => reject(unreadable(400)));
  });
}
