import { ChildProcess, spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** A port nobody listens on now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * A redis-server of one test's own, on a port of its own, without persistence: killing it
 * and starting it again on the same port is Redis restarting empty, and nothing else on the
 * machine notices. Started from the system binary (the one scripts/local-services.cjs uses).
 */
export class PrivateRedis {
  private server: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  /** Starts it (again, empty) on its port and waits until it answers. */
  async restart(): Promise<void> {
    if (this.server) throw new Error('the private Redis is running');
    const server = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.server = server;
    let failed: Error | null = null;
    server.once('error', (error) => {
      failed = error;
    });
    server.once('exit', () => {
      if (this.server === server) this.server = null;
    });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (failed) throw new Error(`could not start redis-server (apt-get install redis-server): ${(failed as Error).message}`);
      if (this.server !== server) throw new Error('redis-server exited as it started');
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL: Redis dies with everything it held, as in a crash. */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    if (server.exitCode !== null || server.signalCode !== null) {
      this.server = null;
      return;
    }
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    this.server = null;
  }
}
