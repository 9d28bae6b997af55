import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import pino, { DestinationStream } from 'pino';

/**
 * Where an app's log lines go (nestjs-pino's logger and the access lines share it): stdout,
 * written asynchronously (stdoutDestination). Tests put a stream of their own in its place.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** The app's name, for the `app` field of its lines. */
export const APP_NAME = Symbol('APP_NAME');

/**
 * An app's writes to stdout are at most this long: PIPE_BUF, below which a write to a pipe is
 * atomic, so the workers of an app (httpWorkers) sharing one pipe never interleave within a line.
 * Buffering less also costs less per line (sonic-boom measures the pending chunk on each write).
 */
const MAX_WRITE_BYTES = 4096;

/**
 * Stdout, written asynchronously: lines are buffered and written off the request's path, a
 * write(2) for many, and a slow reader of the logs does not stall the app. What is buffered is
 * written synchronously when the app shuts down (AccessLog) and when the process exits (pino
 * registers that for an async destination); only a process killed outright (SIGKILL) loses
 * its last lines.
 */
export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false, maxWrite: MAX_WRITE_BYTES });
}

/** A path longer than this is cut in its access line (an unknown route can be anything). */
const MAX_LOGGED_PATH = 256;

function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.length > MAX_LOGGED_PATH ? path.slice(0, MAX_LOGGED_PATH) : path;
}

/** pino's number for info, the level of an access line. */
const INFO = pino.levels.values.info;

/**
 * One line per answered request, at info: `requestId` (the X-Request-Id header and an error's
 * `requestId`), `method`, `route` (the route's pattern, null for an unknown route), `path`
 * (without the query), `status` and `durationMs`. Fastify's routes write it from the
 * onResponse hook (configureHttpApp; 499 and no duration for a client that left before its
 * answer), the raw routes from RawRoutes once the answer is written.
 *
 * The line is the one pino would write (level, time, app, context, the fields, msg), to the
 * same destination as the app's other lines, but put together here: its fields are known, and
 * pino's general serialiser cost about 1.5 µs a line more than this template (of 6.5 µs a
 * line, written, on the 2-core development machine).
 */
@Injectable()
export class AccessLog implements OnApplicationShutdown {
  private readonly enabled: boolean;
  /** What follows the time in every line: the app's name and the context. */
  private readonly bindings: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(LOG_DESTINATION) private readonly destination: DestinationStream,
    @Inject(APP_NAME) app: string,
  ) {
    // `silent` has no number: nothing is written.
    this.enabled = INFO >= (pino.levels.values[config.logLevel] ?? Infinity);
    this.bindings = `,"app":${JSON.stringify(app)},"context":"Access"`;
  }

  /**
   * `sample` (0 to 1): the share of successful answers (status below 400) written, for a
   * hot route that moves no money (the grab); an error is always written.
   */
  write(requestId: string, method: string, route: string | null, url: string, status: number, durationMs: number | null, sample = 1): void {
    if (!this.enabled || (status < 400 && sample < 1 && !(Math.random() < sample))) return;
    const duration = durationMs === null || !Number.isFinite(durationMs) ? 'null' : String(Math.round(durationMs * 1000) / 1000);
    this.destination.write(
      `{"level":${INFO},"time":${Date.now()}${this.bindings},"requestId":${JSON.stringify(requestId)},"method":${JSON.stringify(method)},` +
        `"route":${route === null ? 'null' : JSON.stringify(route)},"path":${JSON.stringify(pathOf(url))},"status":${status},` +
        `"durationMs":${duration},"msg":"request"}\n`,
    );
  }

  /** Writes what the asynchronous destination still holds. */
  onApplicationShutdown(): void {
    const destination = this.destination as DestinationStream & { flushSync?: () => void };
    try {
      destination.flushSync?.();
    } catch {
      // Not open yet, or already closed: nothing to write.
    }
  }
}
