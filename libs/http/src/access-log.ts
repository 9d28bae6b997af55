import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import pino, { DestinationStream, Logger } from 'pino';

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

/**
 * One line per answered request, at info: `requestId` (the X-Request-Id header and an error's
 * `requestId`), `method`, `route` (the route's pattern, null for an unknown route), `path`
 * (without the query), `status` and `durationMs`. Fastify's routes write it from the
 * onResponse hook (configureHttpApp; 499 and no duration for a client that left before its
 * answer), the raw routes from RawRoutes once the answer is written.
 */
@Injectable()
export class AccessLog implements OnApplicationShutdown {
  private readonly logger: Logger;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(LOG_DESTINATION) private readonly destination: DestinationStream,
    @Inject(APP_NAME) app: string,
  ) {
    this.logger = pino({ level: config.logLevel, base: { app, context: 'Access' } }, destination);
  }

  /**
   * `sample` (0 to 1): the share of successful answers (status below 400) written, for a
   * hot route that moves no money (the grab); an error is always written.
   */
  write(requestId: string, method: string, route: string | null, url: string, status: number, durationMs: number | null, sample = 1): void {
    if (status < 400 && sample < 1 && !(Math.random() < sample)) return;
    this.logger.info(
      { requestId, method, route, path: pathOf(url), status, durationMs: durationMs === null ? null : Math.round(durationMs * 1000) / 1000 },
      'request',
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
