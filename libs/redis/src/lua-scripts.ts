import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RedisClient as Redis } from './redis.module';

export interface LuaScript {
  /** camelCase of the file name: rate-limit.lua → rateLimit */
  name: string;
  /** null for `--! keys: any`: a script over a batch, whose callers pass any number of keys */
  numberOfKeys: number | null;
  source: string;
}

function commandName(file: string): string {
  return basename(file, '.lua').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Reads one .lua file; its first line must declare how many KEYS it takes: `--! keys: N` or `--! keys: any`. */
export function readLuaScript(path: string): LuaScript {
  const source = readFileSync(path, 'utf8');
  const header = /^--! keys: (\d+|any)\s*$/m.exec(source.split('\n', 1)[0]);
  if (!header) throw new Error(`${path}: the first line must be "--! keys: N" or "--! keys: any"`);
  return { name: commandName(path), numberOfKeys: header[1] === 'any' ? null : Number(header[1]), source };
}

export function readLuaScripts(dir: string): LuaScript[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .sort()
    .map((file) => readLuaScript(join(dir, file)));
}

/**
 * Registers scripts as ioredis commands: each call goes out as EVALSHA and falls back to
 * EVAL once after a restart or SCRIPT FLUSH. Keys pass through the client's keyPrefix, and
 * every script touches only keys of one hash tag, so it runs unchanged on Redis Cluster.
 */
export function registerLuaScripts(client: Redis, scripts: LuaScript[]): void {
  let registered = keyCounts.get(client);
  if (!registered) keyCounts.set(client, (registered = new Map()));
  for (const script of scripts) {
    client.defineCommand(script.name, script.numberOfKeys === null ? { lua: script.source } : { numberOfKeys: script.numberOfKeys, lua: script.source });
    registered.set(script.name, script.numberOfKeys);
    // On a Cluster, auto-pipelining groups a command by the slot of its first argument, which for
    // a script of any number of keys is that number, not a key: such a call would land in another
    // slot's pipeline and be refused. Those scripts are batches already (one call, many grabs).
    if (script.numberOfKeys === null && client.isCluster) {
      const ignored = client.options.autoPipeliningIgnoredCommands ?? [];
      if (!ignored.includes(script.name)) client.options.autoPipeliningIgnoredCommands = [...ignored, script.name];
    }
  }
}

/** The declared key count of each script registered on a client (null: any, passed with each call). */
const keyCounts = new WeakMap<Redis, Map<string, number | null>>();

/** The scripts this lib ships (read from beside the compiled file). */
export const SHARED_SCRIPTS_DIR = join(__dirname, 'scripts');

/** A script's reply: an integer, a string, or a list of them, as documented in its file. */
export type ScriptReply = number | string | null | ScriptReply[];

/** Calls a registered script by name. */
export async function callScript(client: Redis, name: string, keys: string[], args: Array<string | number>): Promise<ScriptReply> {
  const command = (client as unknown as Record<string, unknown>)[name];
  if (typeof command !== 'function') throw new Error(`Lua script ${name} is not registered on this client`);
  const call = command as (...a: unknown[]) => Promise<ScriptReply>;
  return keyCounts.get(client)?.get(name) === null ? call.call(client, keys.length, ...keys, ...args) : call.call(client, ...keys, ...args);
}
