import { cataloguedCode, CommonErrorCode, ErrorBody } from '@vouchers/common';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { requestIdOf } from './request-id';

/** Node's error codes for a connection it gives up on, and the catalogued code each is answered with. */
const ANSWERS: Record<string, { code: CommonErrorCode; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { code: CommonErrorCode.RequestTimeout, message: 'The request was not received in time' },
  HPE_HEADER_OVERFLOW: { code: CommonErrorCode.HeadersTooLarge, message: 'The request headers are too large' },
};
const UNREADABLE = { code: CommonErrorCode.MalformedRequest, message: 'The request could not be read' };

/**
 * Fastify's `clientErrorHandler`: node gives up on a connection before any route has the request
 * (headers or body slower than the server's timeouts, a request that does not parse), raw routes
 * included. It answers in the common error shape, as Fastify's default does in its own, then
 * closes the connection. Nothing is written once an answer has begun on the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's own handler looks at the connection's in-flight response the same way.
  const response = (socket as Socket & { _httpMessage?: ServerResponse & { req?: IncomingMessage } })._httpMessage;
  if (socket.writable && !response?.headersSent) {
    const answer = ANSWERS[error.code ?? ''] ?? UNREADABLE;
    // The status is the catalogue's, as for every AppError.
    const status = cataloguedCode(answer.code)?.status ?? 400;
    const body: ErrorBody = { code: answer.code, message: answer.message, requestId: response?.req ? requestIdOf(response.req) : randomUUID() };
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(json)}\r\nx-request-id: ${body.requestId}\r\nconnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
