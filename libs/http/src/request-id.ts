import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = Symbol('requestId');
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,64}$/;

type Carrier = IncomingMessage & { [REQUEST_ID]?: string };

/**
 * The id of a request: the caller's X-Request-Id when it is sane, otherwise a new UUID.
 * Cached on the raw request so Fastify, the pino logger and the error filter agree.
 */
export function requestIdOf(request: IncomingMessage | { raw: IncomingMessage }): string {
  const raw = ('raw' in request ? request.raw : request) as Carrier;
  if (raw[REQUEST_ID] === undefined) {
    const header = raw.headers['x-request-id'];
    raw[REQUEST_ID] = typeof header === 'string' && ACCEPTED_ID.test(header) ? header : randomUUID();
  }
  return raw[REQUEST_ID];
}
