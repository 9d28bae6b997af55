import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

const logger = new Logger('Postgres');

/**
 * The pg client of every pool the apps open (TypeORM's, dataSourceOptions; and openPgPool's),
 * given to each as its `Client`: one whose 'error' event always has a listener.
 *
 * A pg client emits 'error' when its connection breaks: its backend terminated (57P01, an
 * operator's pg_terminate_backend, a failover, Postgres restarting) or its socket reset. An
 * 'error' event nobody listens for is thrown, and ends the process. pg-pool listens only while
 * a client lies idle in the pool; a client it has handed out is its borrower's to listen to,
 * and TypeORM's query runner starts listening one microtask after the pool hands it the client.
 * A new client whose backend is terminated as it finishes connecting (the fatal ErrorResponse
 * in the same read as ReadyForQuery) emits its error inside that gap, unheard: that is what
 * killed the issuance app under rounds of pg_terminate_backend (issue 15).
 *
 * So every client listens to itself from birth, for its whole life. Nothing is lost by it: pg
 * marks the broken client unusable, its borrower's next query fails (isDatabaseUnavailable
 * knows the error), and the pool drops it when it is released instead of reusing it, so the
 * next checkout opens a new connection.
 */
export class GuardedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (error: Error) => {
      // The pool (idle client) or the borrower (TypeORM's runner, pool.query) hears it too when they listen; else say so here.
      if (this.listenerCount('error') > 1) return;
      logger.warn({ err: error }, 'Postgres connection lost while checked out; it is dropped when released');
    });
  }
}
