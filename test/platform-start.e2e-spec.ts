/**
 * scripts/platform.cjs (npm start, the browser tests' platform, test/processes) stops a start
 * that cannot succeed, at once: a process that dies or is not ready stops the others, and the
 * error names it, how it ended or why it is not ready, and its last lines of stderr. Before, the
 * start went on: once the settlement worker held the issuance app's port, answered its /health,
 * and 16 browser tests met the worker's ROUTE_NOT_FOUND through the gateway.
 */
import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port';
import { startPlatform } from './support/platform';

const ROOT = join(__dirname, '..');

/** Ports for every process but issuance, as the environment names them. */
async function otherPorts(): Promise<Record<string, string>> {
  const [merchant, redemption, settlement, worker, web] = (await Promise.all(Array.from({ length: 5 }, freePort))).map(String);
  return { MERCHANT_PORT: merchant, REDEMPTION_PORT: redemption, SETTLEMENT_PORT: settlement, SETTLEMENT_WORKER_PORT: worker, WEB_PORT: web };
}

/** The start's error (or, if it started, a stopped platform's "started"). */
async function startFailure(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ message: string; ms: number }> {
  const began = Date.now();
  const logDir = join(ROOT, 'test-results', 'platform-start-logs', randomBytes(3).toString('hex'));
  try {
    const platform = await startPlatform({ env: { ...process.env, LOG_LEVEL: 'warn', ...env }, logDir, timeoutMs });
    await platform.stop();
    return { message: 'started', ms: Date.now() - began };
  } catch (error) {
    return { message: (error as Error).message, ms: Date.now() - began };
  }
}

/** Whether anything answers on the port. */
const answers = (port: string) => fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);

describe('starting the platform', () => {
  let squatter: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => (squatter ? squatter.close(resolve) : resolve(undefined)));
    squatter = undefined;
  });

  it("fails at once when an app's port is taken, even by a process that answers its /health, naming the app, its exit code and its stderr; the others are stopped", async () => {
    // Answers 200 on every path, as the worker did on the issuance app's port.
    squatter = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => squatter!.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const ports = await otherPorts();

    const failed = await startFailure({ ISSUANCE_PORT: String(taken), ...ports }, 120_000);
    process.stderr.write(`[platform-start] after ${failed.ms} ms: ${failed.message}\n`);
    expect(failed.message).toMatch(/^issuance exited with code 1 while the platform was starting; the last lines of its stderr:\n/);
    expect(failed.message).toContain(`EADDRINUSE: address already in use 127.0.0.1:${taken}`);
    // Well before the deadline: the app's death ends the start.
    expect(failed.ms).toBeLessThan(60_000);
    for (const port of Object.values(ports)) expect([port, await answers(port)]).toEqual([port, false]);
  }, 150_000);

  it('fails at its deadline when a process stays up but is not ready, naming it and why', async () => {
    // Every app starts without Redis, and its /health answers 503.
    const ports = await otherPorts();
    const failed = await startFailure({ ISSUANCE_PORT: String(await freePort()), REDIS_URL: 'redis://127.0.0.1:1', ...ports }, 20_000);
    process.stderr.write(`[platform-start] after ${failed.ms} ms: ${failed.message}\n`);
    // Whichever process the deadline finds first: an app (its own /health) or the web gateway
    // (issuance's health through it, 503 as well).
    expect(failed.message).toMatch(/^[a-z-]+ was not ready in 20 s \(http:\/\/127\.0\.0\.1:\d+(\/api\/issuance)?\/health answers 503\) while the platform was starting/);
    for (const port of Object.values(ports)) expect([port, await answers(port)]).toEqual([port, false]);
  }, 90_000);
});
