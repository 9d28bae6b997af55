import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port';

const ROOT = join(__dirname, '..');
const ISSUANCE = join(ROOT, 'dist/apps/issuance/src/main.js');
const WORKER = join(ROOT, 'dist/apps/settlement/src/worker.js');

/** Runs a built entry point (npm test builds first) and returns how it ended. */
function run(entry: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [entry], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
}

describe('an entry point started with a bad configuration', () => {
  beforeAll(() => {
    if (!existsSync(ISSUANCE)) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
  });

  it('exits non-zero naming the key of a non-numeric port', () => {
    const result = run(ISSUANCE, { ISSUANCE_PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ISSUANCE_PORT (issuancePort)');
    expect(result.stderr).toContain('"abc"');
  });

  it('refuses production without a JWT secret of its own', () => {
    const result = run(WORKER, { NODE_ENV: 'production', JWT_SECRET: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JWT_SECRET');
  });

  it('refuses a grab timing budget that does not add up, before forking workers, naming the keys and values', () => {
    const result = run(ISSUANCE, { HTTP_WORKERS: '2', CLAIM_QUEUE_DEADLINE_MS: '20000', CLAIM_SWEEP_AFTER_MS: '25000' });
    expect(result.status).toBe(1);
    for (const part of [
      'CLAIM_QUEUE_DEADLINE_MS (claimQueueDeadlineMs) 20000',
      'CLAIM_POOL_WAIT_MS (claimPoolWaitMs) 5000',
      'CLAIM_STATEMENT_TIMEOUT_MS (claimStatementTimeoutMs) 5000',
      'CLAIM_SWEEP_AFTER_MS (claimSweepAfterMs) 25000',
    ]) {
      expect(result.stderr).toContain(part);
    }
    expect(result.stderr).not.toContain('worker');
  });

  it('names every bad key at once', () => {
    const result = run(ISSUANCE, { REDIS_URL: 'localhost', LOG_LEVEL: 'loud' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('REDIS_URL (redisUrl)');
    expect(result.stderr).toContain('LOG_LEVEL (logLevel)');
  });
});

/** A multi-worker app's primary, started from the built entry point, and what it says on stderr. */
class Supervised {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private said = '';

  constructor(port: number) {
    this.child = spawn(process.execPath, [ISSUANCE], {
      cwd: ROOT,
      env: { ...process.env, HTTP_WORKERS: '2', ISSUANCE_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.said += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Pids of the lines matching `pattern` (its first group), in order. */
  pids(pattern: RegExp): number[] {
    return [...this.said.matchAll(new RegExp(pattern, 'g'))].map((match) => Number(match[1]));
  }

  /** Waits until `pattern` has matched `count` lines (at most 60 s). */
  async waitFor(pattern: RegExp, count = 1): Promise<number[]> {
    for (let i = 0; i < 600; i++) {
      const found = this.pids(pattern);
      if (found.length >= count) return found;
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`waited for ${count} × ${pattern}; the primary said:\n${this.said}`);
  }

  /** Resolves the exit code once the primary exits, or kills it and throws after `ms`. */
  async exitWithin(ms: number): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(timer);
    if (this.child.signalCode === 'SIGKILL') throw new Error(`the primary did not exit within ${ms} ms; it said:\n${this.said}`);
    return code;
  }

  get text(): string {
    return this.said;
  }
}

const LISTENING = /issuance worker (\d+) listening/;
const STARTED = /issuance worker (\d+) started/;
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('an app started with several HTTP workers (libs/http/src/cluster-supervisor.ts)', () => {
  it('serves from the shared port, replaces a worker that dies, and on SIGTERM drains its workers and exits 0', async () => {
    const port = await freePort();
    const app = new Supervised(port);
    try {
      const [first, second] = await app.waitFor(LISTENING, 2);
      expect(first).not.toBe(second);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

      process.kill(first, 'SIGKILL');
      const listening = await app.waitFor(LISTENING, 3);
      expect(app.text).toContain(`worker ${first} exited (SIGKILL); replacing it (restart 1)`);
      const replacement = listening[2];
      expect([first, second]).not.toContain(replacement);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);

      const started = Date.now();
      app.child.kill('SIGTERM');
      expect(await app.exitWithin(15_000)).toBe(0);
      // Each drained (Nest's shutdown hooks end the worker by the signal it got) and none was started in their place.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(app.text).toMatch(new RegExp(`worker ${second} exited \\(SIGTERM\\) while stopping`));
      expect(app.text).toMatch(new RegExp(`worker ${replacement} exited \\(SIGTERM\\) while stopping`));
      expect(app.pids(STARTED)).toHaveLength(3);
      expect([second, replacement].filter(isAlive)).toEqual([]);
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 120_000);

  it('does not replace a worker that dies while the app stops, and says so in its exit code', async () => {
    const port = await freePort();
    const app = new Supervised(port);
    try {
      const [stuck, other] = await app.waitFor(LISTENING, 2);
      // One worker cannot drain (stopped), so the app is still stopping when it dies.
      process.kill(stuck, 'SIGSTOP');
      app.child.kill('SIGTERM');
      await app.waitFor(new RegExp(`worker (${other}) exited \\(SIGTERM\\) while stopping; 1 left`));
      process.kill(stuck, 'SIGKILL');
      expect(await app.exitWithin(15_000)).toBe(1);
      expect(app.text).toContain(`worker ${stuck} exited (SIGKILL) while stopping; 0 left`);
      expect(app.pids(STARTED)).toHaveLength(2);
      expect([stuck, other].filter(isAlive)).toEqual([]);
    } finally {
      app.child.kill('SIGKILL');
    }
  }, 120_000);
});

describe('the Node options of the apps', () => {
  it('are the same in the image as in npm start and the benchmarks (scripts/app-node-args.cjs)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { appNodeArgs, RUSH_APPS } = require(join(ROOT, 'scripts/app-node-args.cjs')) as {
      appNodeArgs: (app: string) => string[];
      RUSH_APPS: string[];
    };
    const entrypoint = readFileSync(join(ROOT, 'docker/entrypoint.sh'), 'utf8');
    expect(RUSH_APPS).toEqual(['issuance', 'redemption']);
    expect(appNodeArgs('issuance').length).toBeGreaterThan(0);
    expect(entrypoint).toContain(`  ${RUSH_APPS.join(' | ')}) exec node ${appNodeArgs('issuance').join(' ')} "$entry" ;;`);
    for (const app of ['merchant', 'settlement', 'settlement-worker']) expect(appNodeArgs(app)).toEqual([]);
    expect(entrypoint).toContain('  *) exec node "$entry" ;;');
  });
});
