import { HttpException, Logger } from '@nestjs/common';
import { AppError, CommonErrorCode, ErrorBody } from '@vouchers/common';
import { isDatabaseUnavailable } from '@vouchers/database';
import { isRedisUnavailable, RECONNECT_MAX_MS } from '@vouchers/redis';
import type { FastifyReply } from 'fastify';

const STATUS_CODES: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.MalformedRequest,
  401: CommonErrorCode.Unauthenticated,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  405: CommonErrorCode.MethodNotAllowed,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  429: CommonErrorCode.RateLimited,
  503: CommonErrorCode.ServiceUnavailable,
};

interface Answer {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

function fromHttpException(exception: HttpException): Answer {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (status === 400 && typeof response === 'object' && Array.isArray((response as { message?: unknown }).message)) {
    const problems = (response as { message: string[] }).message;
    return { status, code: CommonErrorCode.ValidationFailed, message: problems.join('; '), details: { problems } };
  }
  if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(exception.message)) {
    return { status, code: CommonErrorCode.RouteNotFound, message: 'No such route' };
  }
  return { status, code: STATUS_CODES[status] ?? CommonErrorCode.Internal, message: exception.message };
}

/** Errors Fastify raises itself (bad JSON, body too large) carry a statusCode and an FST_ code. */
function fromFastifyError(exception: unknown): Answer | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { statusCode, code } = exception as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return null;
  const message = statusCode === 413 ? 'The request body is too large' : 'The request could not be read';
  return { status: statusCode, code: STATUS_CODES[statusCode] ?? CommonErrorCode.MalformedRequest, message };
}

/**
 * A text Postgres refused as too long for its column (22001): the validators count characters as
 * validator.js does, where a variation selector (U+FE0F) counts as nothing, and a column counts
 * every code point. The text was the caller's and the statement wrote nothing: 400, not 500.
 */
function fromTextTooLong(exception: unknown): Answer | null {
  if ((exception as { code?: unknown } | null)?.code !== '22001') return null;
  const problem = 'a text is longer than its field allows (count each code point, variation selectors too)';
  return { status: 400, code: CommonErrorCode.ValidationFailed, message: problem, details: { problems: [problem] } };
}

/** The platform's trouble, not the caller's: 503, and when to try again (Retry-After). */
const unavailable = (code: CommonErrorCode, message: string, retryAfterSeconds: number): Answer => ({
  status: 503,
  code,
  message,
  details: { retryAfterSeconds },
});

/**
 * Postgres not answering (isDatabaseUnavailable) passes: 503 with Retry-After on every route,
 * wherever the query was, rather than 500; pools reconnect within a second. A route that can say
 * more (the grab's CLAIM_NOT_SAVED, the till's REDEMPTION_NOT_SAVED) throws its own AppError first.
 */
const fromUnavailableDatabase = () =>
  unavailable(CommonErrorCode.DatabaseUnavailable, 'The service cannot reach its database just now; try again in a moment', 1);

/**
 * Redis not answering (isRedisUnavailable) on a route that needs it (a one-time code, the
 * eligibility index ahead of a merchant's suspension, a checkout code) passes too: 503 with
 * Retry-After, once the connection may be back (RECONNECT_MAX_MS). Such a route writes Redis
 * before its transaction commits or after, so the failure leaves nothing half-written: an
 * import keeps the batches committed before it, and sending the file again finishes it. The
 * grab and the till say more (ADMISSION_UNAVAILABLE, their own codes).
 */
const fromUnavailableRedis = () =>
  unavailable(
    CommonErrorCode.ServiceUnavailable,
    'The service cannot reach its fast store just now; try again in a moment',
    Math.ceil(RECONNECT_MAX_MS / 1000),
  );

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  /** Seconds for a Retry-After header: a 503 or 429 that knows when to come back says so. */
  retryAfterSeconds?: number;
}

/**
 * The one place an error becomes an HTTP answer: `{ code, message, requestId }` with the
 * right status. Postgres not answering is a 503 DATABASE_UNAVAILABLE with Retry-After. A 500
 * says only that something failed and which request id the log holds.
 * Used by the Nest exception filter (sendError) and by the raw routes.
 */
export function answerOf(exception: unknown, requestId: string, logger: Logger): ErrorAnswer {
  let answer: Answer;
  if (exception instanceof AppError) {
    answer = { status: exception.status, code: exception.code, message: exception.message, details: exception.details };
  } else if (exception instanceof HttpException) {
    answer = fromHttpException(exception);
  } else if (isDatabaseUnavailable(exception)) {
    answer = fromUnavailableDatabase();
  } else if (isRedisUnavailable(exception)) {
    answer = fromUnavailableRedis();
  } else {
    answer = fromTextTooLong(exception) ??
      fromFastifyError(exception) ?? { status: 500, code: CommonErrorCode.Internal, message: `Something went wrong on our side; quote request id ${requestId}` };
  }
  if (exception instanceof AppError && answer.status >= 500) {
    logger.warn({ requestId, code: answer.code }, answer.message);
  } else if (answer.code === CommonErrorCode.DatabaseUnavailable || answer.code === CommonErrorCode.ServiceUnavailable) {
    logger.warn({ requestId, code: answer.code, err: exception }, answer.message);
  } else if (answer.status >= 500) {
    logger.error({ requestId, err: exception }, 'request failed');
  }
  const body: ErrorBody = { code: answer.code, message: answer.message, requestId };
  if (answer.details) body.details = answer.details;
  const retryAfter = answer.details?.retryAfterSeconds;
  return typeof retryAfter === 'number'
    ? { status: answer.status, body, retryAfterSeconds: Math.max(1, Math.ceil(retryAfter)) }
    : { status: answer.status, body };
}

/** Answers an error on a Fastify reply (answerOf). */
export function sendError(reply: FastifyReply, requestId: string, exception: unknown, logger: Logger): void {
  const answer = answerOf(exception, requestId, logger);
  if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', String(answer.retryAfterSeconds));
  void reply.status(answer.status).header('x-request-id', requestId).send(answer.body);
}
