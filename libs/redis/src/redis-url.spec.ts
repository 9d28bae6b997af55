import { isClusterUrl, parseRedisUrl } from './redis-url';

describe('REDIS_URL', () => {
  it('names one Redis with redis:// and rediss://, with user, password and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'single', options: { host: '127.0.0.1', port: 6379 } });
    expect(parseRedisUrl('rediss://app:p%40ss@redis.internal:6380/2')).toEqual({
      kind: 'single',
      options: { host: 'redis.internal', port: 6380, username: 'app', password: 'p@ss', tls: {}, db: 2 },
    });
    expect(parseRedisUrl('redis://localhost')).toEqual({ kind: 'single', options: { host: 'localhost', port: 6379 } });
  });

  it('names a Redis Cluster by its seed nodes with redis-cluster://', () => {
    const url = 'redis-cluster://127.0.0.1:7001,127.0.0.1:7002,10.0.0.3:7003';
    expect(isClusterUrl(url)).toBe(true);
    expect(parseRedisUrl(url)).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '127.0.0.1', port: 7001 },
        { host: '127.0.0.1', port: 7002 },
        { host: '10.0.0.3', port: 7003 },
      ],
      options: {},
    });
    expect(parseRedisUrl('rediss-cluster://:secret@a:1,b:2')).toEqual({ kind: 'cluster', seeds: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }], options: { password: 'secret', tls: {} } });
    expect(isClusterUrl('redis://127.0.0.1:6379')).toBe(false);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseRedisUrl('redis-cluster://a:1,b:2/3')).toThrow(/no databases/);
    expect(() => parseRedisUrl('redis://a:1,b:2')).toThrow(/redis-cluster:\/\//);
    expect(() => parseRedisUrl('redis-cluster://a:0')).toThrow(/not host:port/);
    expect(() => parseRedisUrl('http://a:1')).toThrow(/is not redis:\/\//);
  });
});
