import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLuaScript, readLuaScripts } from './lua-scripts';
import { redisOptionsFromUrl } from './redis.module';

describe('Lua script files', () => {
  it('are named by file and declare their key count', () => {
    const scripts = readLuaScripts(join(__dirname, 'scripts'));
    expect(scripts.find((script) => script.name === 'rateLimit')?.numberOfKeys).toBe(1);
  });

  it('may declare any key count, for a script over a batch whose callers pass the count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lua-'));
    writeFileSync(join(dir, 'many.lua'), "--! keys: any\nreturn #KEYS\n");
    expect(readLuaScript(join(dir, 'many.lua')).numberOfKeys).toBeNull();
  });

  it('must declare the key count on the first line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lua-'));
    writeFileSync(join(dir, 'no-header.lua'), "return redis.call('GET', KEYS[1])\n");
    expect(() => readLuaScript(join(dir, 'no-header.lua'))).toThrow(/--! keys: N/);
  });
});

describe('redisOptionsFromUrl', () => {
  it('reads host, port, credentials, database and TLS', () => {
    expect(redisOptionsFromUrl('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(redisOptionsFromUrl('rediss://user:p%40ss@cache:6379/2')).toEqual({
      host: 'cache',
      port: 6379,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
  });
});
