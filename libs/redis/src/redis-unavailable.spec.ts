import Redis, { RedisOptions, ReplyError } from 'ioredis';
import { isRedisUnavailable } from './redis-unavailable';

/** A client of a port nothing listens on (port 1 on loopback refuses every connection); closed at once when told. */
const unreachable = (options: RedisOptions = {}) =>
  new Redis(1, '127.0.0.1', { retryStrategy: () => 50, disconnectTimeout: 10, ...options });

describe('isRedisUnavailable', () => {
  it('knows the errors ioredis raises with no Redis to talk to', async () => {
    const waiting = unreachable({ maxRetriesPerRequest: 1 });
    const notQueued = unreachable({ enableOfflineQueue: false });
    try {
      const retries = await waiting.get('k').catch((error: unknown) => error);
      const offline = await notQueued.get('k').catch((error: unknown) => error);
      expect((retries as Error).name).toBe('MaxRetriesPerRequestError');
      expect(isRedisUnavailable(retries)).toBe(true);
      expect(isRedisUnavailable(offline)).toBe(true);
    } finally {
      waiting.disconnect();
      notQueued.disconnect();
    }
    const closing = unreachable();
    const queued = closing.get('k').catch((error: unknown) => error);
    closing.disconnect();
    const closed = await queued;
    expect((closed as Error).message).toBe('Connection is closed.');
    expect(isRedisUnavailable(closed)).toBe(true);
  });

  it('knows the replies of a Redis that cannot serve just now', () => {
    for (const reply of ['CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request during rehashing of slot', 'LOADING Redis is loading the dataset in memory', 'READONLY You can\'t write against a read only replica.', 'BUSY Redis is busy running a script.']) {
      expect(isRedisUnavailable(new ReplyError(reply))).toBe(true);
    }
  });

  it('takes a refusal Redis answered, or any other error, for what it is', () => {
    expect(isRedisUnavailable(new ReplyError('ERR Error running script (call to f_1): user_script:3: bad'))).toBe(false);
    expect(isRedisUnavailable(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isRedisUnavailable(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRedisUnavailable(new TypeError('x is undefined'))).toBe(false);
    // Node's own AbortError (an aborted fetch or stream) shares the name of redis-errors' one.
    const aborted = new AbortController();
    aborted.abort();
    expect(isRedisUnavailable(aborted.signal.reason)).toBe(false);
    expect(isRedisUnavailable('Connection is closed.')).toBe(false);
    expect(isRedisUnavailable(null)).toBe(false);
  });
});
