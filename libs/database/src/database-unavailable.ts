import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/**
 * SQLSTATEs of a Postgres that is not answering, as opposed to one that answered "no":
 * class 08 (connection exception), 57P01-57P03 (terminated by an administrator, crash
 * shutdown, cannot connect now: starting, stopping, in recovery), 57P05 (idle session
 * timeout ended the connection) and 53300 (too many connections).
 */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57P05', '53300']);

/** Errors of the socket under a pg connection (Node's codes), as pg passes them on. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What pg and pg-pool say, without a code, when there is no connection to run on: the socket
 * ended ("Connection terminated unexpectedly"), connecting took longer than
 * connectionTimeoutMillis (pg-pool's "... due to connection timeout", and its "timeout exceeded
 * when trying to connect" when every connection stayed busy that long), a client whose
 * connection broke or was closed ("... is not queryable"), and a pool being closed on shutdown.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];

/**
 * TypeORM releases a query runner by itself when its connection emits an error
 * (PostgresQueryRunner listens while it holds the client), and the query or transaction still
 * using it then fails with one of these, the connection's own error gone. Nothing in the apps
 * uses a runner it released (runners come from dataSource.query, transaction, or a try/finally
 * that releases last), so here they mean a connection lost mid-transaction or before COMMIT,
 * whose work Postgres rolled back.
 */
function isRunnerLostItsConnection(error: object): boolean {
  return error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError;
}

/** Causes followed at most this deep (QueryFailedError → driver error → cause → ...). */
const MAX_DEPTH = 5;

/**
 * Whether an error means Postgres could not be reached or dropped the connection: the request
 * may well succeed a moment later, so it is answered 503 with Retry-After (answerOf), not 500.
 * Takes what the apps see: pg's DatabaseError, TypeORM's QueryFailedError (its driverError) and
 * its errors of a runner released under a transaction by a lost connection, pg's and pg-pool's
 * own errors, and socket errors as pg passes them on (an AggregateError of them too: Node's
 * connect to each address of a host). Errors that wrap one of these as `cause` count for its
 * SQLSTATE or pg's message, not for a bare socket code, which any client could have met. A
 * statement timeout (57014), a deadlock, a constraint or a syntax error is not one: Postgres
 * answered.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailable(error, 0, true);
}

function unavailable(error: unknown, depth: number, socketCodes: boolean): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return false;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (CONNECTION_EXCEPTION.test(code) || UNAVAILABLE_STATES.has(code))) return true;
  if (socketCodes && typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (isRunnerLostItsConnection(error)) return true;
  if (driverError !== undefined && unavailable(driverError, depth + 1, socketCodes)) return true;
  if (cause !== undefined && unavailable(cause, depth + 1, false)) return true;
  return Array.isArray(errors) && errors.some((inner) => unavailable(inner, depth + 1, socketCodes));
}
