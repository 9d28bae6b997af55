import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Redis from 'ioredis';

export interface LuaScript {
  /** camelCase of the file name: rate-limit.lua → rateLimit */
  name: string;
  numberOfKeys: number;
  source: string;
}

function commandName(file: string): string {
  return basename(file, '.lua').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Reads one .lua file; its first line must declare how many KEYS it takes: `--! keys: N`. */
export function readLuaScript(path: string): LuaScript {
  const source = readFileSync(path, 'utf8');
  const header = /^--! keys: (\d+)\s*$/m.exec(source.split('\n', 1)[0]);
  if (!header) throw new Error(`${path}: the first line must be "--! keys: N"`);
  return { name: commandName(path), numberOfKeys: Number(header[1]), source };
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
  for (const script of scripts) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.source });
  }
}

/** The scripts this lib ships (read from beside the compiled file). */
export const SHARED_SCRIPTS_DIR = join(__dirname, 'scripts');

/** A script's reply: an integer, a string, or a list of them, as documented in its file. */
export type ScriptReply = number | string | null | ScriptReply[];

/** Calls a registered script by name. */
export async function callScript(client: Redis, name: string, keys: string[], args: Array<string | number>): Promise<ScriptReply> {
  const command = (client as unknown as Record<string, unknown>)[name];
  if (typeof command !== 'function') throw new Error(`Lua script ${name} is not registered on this client`);
  return (command as (...a: unknown[]) => Promise<ScriptReply>).call(client, ...keys, ...args);
}
