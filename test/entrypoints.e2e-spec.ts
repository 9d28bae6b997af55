import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

  it('names every bad key at once', () => {
    const result = run(ISSUANCE, { REDIS_URL: 'localhost', LOG_LEVEL: 'loud' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('REDIS_URL (redisUrl)');
    expect(result.stderr).toContain('LOG_LEVEL (logLevel)');
  });
});

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('an app started with several HTTP workers', () => {
  it('serves from the shared port and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [ISSUANCE], {
      cwd: ROOT,
      env: { ...process.env, HTTP_WORKERS: '2', ISSUANCE_PORT: String(port) },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let healthy = 0;
      for (let i = 0; i < 150 && healthy < 4; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
        if (response?.status === 200) healthy += 1;
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(healthy).toBe(4);
    } finally {
      child.kill('SIGTERM');
    }
    // The primary forwards SIGTERM and kills any worker still alive after 10 s; if even that
    // fails, kill it here so the run does not hang, and fail.
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(0);
  }, 90_000);
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
