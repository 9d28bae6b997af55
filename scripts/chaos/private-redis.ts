/**
 * A redis-server of the fault run's own, on a free loopback port with a temp dir of its own,
 * so it can be killed with SIGKILL and started again on the same port: empty, or from an old
 * snapshot. No persistence of its own (`--save "" --appendonly no`): whatever it holds after
 * a restart is exactly what the run put in its dir.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from '../free-port';

export { freePort };

export function redisServerBinary(): string {
  const candidates = [process.env.REDISMS_SYSTEM_BINARY, '/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    const found = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // not on the PATH either
  }
  throw new Error('The fault run starts a redis-server of its own and found none: install redis-server (apt-get install redis-server).');
}

/** True once the server answers PING with PONG (a server still loading a snapshot answers -LOADING). */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export class PrivateRedis {
  private server: ChildProcess | null = null;
  private dirs = 0;
  /** The run's own client (no key prefix): SAVE, SCRIPT FLUSH and the stock reads of the checks. */
  readonly client: Redis;

  constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly baseDir: string,
  ) {
    this.client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 100, lazyConnect: true });
    // The run kills this server on purpose; the client reconnects by itself.
    this.client.on('error', () => undefined);
  }

  /** One started on a free port with a temp dir of its own, empty: for a test that kills its Redis. */
  static async startEmpty(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(redisServerBinary(), await freePort(), mkdtempSync(join(tmpdir(), 'private-redis-')));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The running server's pid (bench:rush reads its CPU time), undefined while it is down. */
  get pid(): number | undefined {
    return this.server?.pid;
  }

  /** A new empty directory under the run's temp dir. */
  freshDir(name: string): string {
    const dir = join(this.baseDir, `${name}-${++this.dirs}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Starts the server in `dir` (loading its dump.rdb, if there is one) and waits until it answers. */
  async start(dir = this.freshDir('empty')): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb'];
    args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning');
    const server = spawn(this.binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    this.server = server;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) throw new Error(`redis-server exited with ${server.exitCode} on port ${this.port}`);
      if (await pong(this.port)) {
        if (this.client.status === 'wait') await this.client.connect();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  /** SIGKILL, as a crash or an OOM kill would: nothing is saved, clients see their sockets close. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  /** SAVE now and copy the dump aside: the directory a restart "from an old snapshot" starts in. */
  async snapshot(): Promise<string> {
    const config = (await this.client.config('GET', 'dir')) as string[];
    await this.client.save();
    const dir = this.freshDir('snapshot');
    copyFileSync(join(config[1], 'dump.rdb'), join(dir, 'dump.rdb'));
    return dir;
  }

  async stop(): Promise<void> {
    this.client.disconnect();
    await this.kill();
  }

  /** For the process's exit handler: no waiting. */
  killNow(): void {
    this.server?.kill('SIGKILL');
  }
}
