/**
 * Error codes shared by every app. Each feature area adds its own enum of codes and
 * throws AppError with one of them; the global exception filter turns it into
 * `{ code, message, requestId }` with the status the error carries.
 */
export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedRequest = 'MALFORMED_REQUEST',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** A JSON body nested deeper, or with more keys, than any real client sends (libs/http body-limits). */
  BodyTooComplex = 'BODY_TOO_COMPLEX',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  Conflict = 'CONFLICT',
  RateLimited = 'RATE_LIMITED',
  /** The client took longer than the server's header or request timeout to send its request. */
  RequestTimeout = 'REQUEST_TIMEOUT',
  InvalidCursor = 'INVALID_CURSOR',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** Postgres did not answer (connection refused, cut or timed out): 503 with Retry-After, try again. */
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, status: number, details?: Record<string, unknown>) {
    // An AppError is an answer, not a bug: skip the stack trace, which cost the grab's
    // refusals (sold out, already claimed) more than the Lua call that decided them.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  static badRequest(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(code, message, 400, details);
  }

  static notFound(code: string, message: string): AppError {
    return new AppError(code, message, 404);
  }

  static conflict(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(code, message, 409, details);
  }

  static unavailable(code: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(code, message, 503, details);
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}
