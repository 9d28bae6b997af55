import { Logger } from '@nestjs/common';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { Client, DatabaseError, Pool } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';
import { GuardedClient } from './pg-client';

/** A backend message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}

const authenticationOk = () => message('R', Buffer.from([0, 0, 0, 0]));
const readyForQuery = () => message('Z', Buffer.from('I'));
const errorResponse = (severity: string, code: string, text: string) =>
  message('E', Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${text}\0\0`));
const TERMINATED = () => errorResponse('FATAL', '57P01', 'terminating connection due to administrator command');

/**
 * What a fake Postgres on a local port does. silent: accepts, never answers (a hung server).
 * ready: completes the start-up, then answers every query with `onQuery`'s bytes (and closes
 * after a FATAL). dieOnReady: its start-up answer ends with the FATAL of pg_terminate_backend,
 * in the same write as ReadyForQuery, as a backend terminated while it finished connecting does.
 */
type Behaviour = { kind: 'silent' } | { kind: 'ready'; onQuery: () => Buffer; closeAfterQuery?: boolean } | { kind: 'dieOnReady' };

async function fakePostgres(behaviour: Behaviour): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let started = false;
    socket.on('data', () => {
      if (behaviour.kind === 'silent') return;
      if (!started) {
        started = true; // the start-up message: answer it
        if (behaviour.kind === 'dieOnReady') socket.end(Buffer.concat([authenticationOk(), readyForQuery(), TERMINATED()]));
        else socket.write(Buffer.concat([authenticationOk(), readyForQuery()]));
        return;
      }
      if (behaviour.kind !== 'ready') return;
      if (behaviour.closeAfterQuery) socket.end(behaviour.onQuery());
      else socket.write(behaviour.onQuery());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/fake`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const failureOf = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

// GuardedClient warns of each connection it hears lost; the tests below lose several on purpose.
beforeAll(() => Logger.overrideLogger(false));

describe('isDatabaseUnavailable', () => {
  it('knows what the driver says when it cannot reach Postgres: refused, hung, every connection busy', async () => {
    const refused = new Client({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/x` });
    expect(isDatabaseUnavailable(await failureOf(() => refused.connect()))).toBe(true);

    const hung = await fakePostgres({ kind: 'silent' });
    const pool = new Pool({ connectionString: hung.url, connectionTimeoutMillis: 100, Client: GuardedClient });
    const timedOut = await failureOf(() => pool.connect());
    expect((timedOut as Error).message).toBe('Connection terminated due to connection timeout');
    expect(isDatabaseUnavailable(timedOut)).toBe(true);
    await pool.end();
    await hung.close();

    const server = await fakePostgres({ kind: 'ready', onQuery: () => Buffer.alloc(0) });
    const busy = new Pool({ connectionString: server.url, max: 1, connectionTimeoutMillis: 100, Client: GuardedClient });
    const held = await busy.connect();
    const waited = await failureOf(() => busy.connect());
    expect((waited as Error).message).toBe('timeout exceeded when trying to connect');
    expect(isDatabaseUnavailable(waited)).toBe(true);
    held.release();
    await busy.end();
    await server.close();
  });

  it('knows a connection terminated under a query (57P01), and the client left unusable after it', async () => {
    const server = await fakePostgres({ kind: 'ready', onQuery: TERMINATED, closeAfterQuery: true });
    const client = new GuardedClient({ connectionString: server.url });
    await client.connect();
    const terminated = await failureOf(() => client.query('SELECT 1'));
    expect(terminated).toBeInstanceOf(DatabaseError);
    expect((terminated as DatabaseError).code).toBe('57P01');
    expect(isDatabaseUnavailable(terminated)).toBe(true);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], terminated as Error))).toBe(true);
    await new Promise((resolve) => client.once('end', resolve));
    const afterwards = await failureOf(() => client.query('SELECT 1'));
    expect(isDatabaseUnavailable(afterwards)).toBe(true);
    await server.close();
  });

  it('does not take an answer of Postgres for its absence', async () => {
    for (const code of ['23505', '57014', '40P01', '42601', '22P02']) {
      const server = await fakePostgres({ kind: 'ready', onQuery: () => Buffer.concat([errorResponse('ERROR', code, 'refused'), readyForQuery()]) });
      const client = new GuardedClient({ connectionString: server.url });
      await client.connect();
      const refused = await failureOf(() => client.query('SELECT 1'));
      expect([code, isDatabaseUnavailable(refused), isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], refused as Error))]).toEqual([
        code,
        false,
        false,
      ]);
      await client.end();
      await server.close();
    }
    for (const other of [new Error('boom'), new TypeError('x is undefined'), new AppError(CommonErrorCode.Conflict, 'sold out'), null, undefined, '57P01', 42]) {
      expect(isDatabaseUnavailable(other)).toBe(false);
    }
  });

  it('knows the other shapes the same failures reach the apps in', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    // SQLSTATE class 08, the 57P0x of operator intervention, too many connections.
    for (const code of ['08000', '08001', '08006', '08P01', '57P01', '57P02', '57P03', '53300']) expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']) expect(isDatabaseUnavailable(withCode(code))).toBe(true);
    for (const code of ['0800', '08000X', 'ERR_INVALID_ARG_TYPE', 'ENOENT', '53200']) expect(isDatabaseUnavailable(withCode(code))).toBe(false);
    // Node's connect to each address of a host, and errors that keep the cause.
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('could not load the round', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('could not load the round', { cause: withCode('57P01') }))).toBe(true);
    // A bare socket code under another error's cause is not taken for Postgres's (fetch puts its own there).
    expect(isDatabaseUnavailable(new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }))).toBe(false);
    // A TypeORM runner released under its transaction by a lost connection.
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isDatabaseUnavailable(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    // A cycle of causes ends.
    const looped: Error & { cause?: unknown } = new Error('loop');
    looped.cause = looped;
    expect(isDatabaseUnavailable(looped)).toBe(false);
  });
});

describe('GuardedClient', () => {
  it('hears a connection that dies as the pool hands it out, and the pool drops it instead of reusing it', async () => {
    // The fatal error comes in the same read as ReadyForQuery: the pool hands the client out
    // (its idle listener removed) and the error is emitted before the borrower can listen.
    // A plain pg Client there throws 'Unhandled error event' and ends the process.
    const server = await fakePostgres({ kind: 'dieOnReady' });
    const pool = new Pool({ connectionString: server.url, max: 1, Client: GuardedClient });
    const client = await pool.connect();
    await new Promise((resolve) => setImmediate(resolve));
    const lost = await failureOf(() => client.query('SELECT 1'));
    expect(isDatabaseUnavailable(lost)).toBe(true);
    client.release();
    expect(pool.totalCount).toBe(0);
    await pool.end();
    await server.close();
  });
});
