/**
 * The built issuance app as one child process under a supervisor of the run's own: started
 * with the apps' Node options, killed with SIGKILL when a fault asks for it, and started
 * again at once, as a process manager or an orchestrator would. A death the run did not
 * cause is recorded as a crash (with the last lines the process wrote) and restarted too,
 * so the faults after it still run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../bench/bench-kit';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { appNodeArgs } = require(join(ROOT, 'scripts/app-node-args.cjs')) as { appNodeArgs: (app: string) => string[] };
const APP_NODE_ARGS = appNodeArgs('issuance');
const ENTRY = join(ROOT, 'dist/apps/issuance/src/main.js');
const TAIL_LINES = 80;
/** CHAOS_APP_LOG=<file>: every line the app writes is appended there too, to read what it did under a fault. */
const APP_LOG = process.env.CHAOS_APP_LOG;
/** A process that cannot start (its Postgres being cut, say) is retried this often, with a pause. */
const MAX_STARTS_IN_A_ROW = 20;

export interface Crash {
  at: number;
  exit: string;
  /** The last lines the process wrote to stderr and stdout before it died. */
  tail: string[];
}

export class SupervisedApp {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private tail: string[] = [];
  readonly crashes: Crash[] = [];

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    readonly port: number,
    private readonly log: (message: string) => void,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until it answers /health with 200 (Postgres and Redis up). */
  async start(): Promise<void> {
    this.stopping = false;
    this.spawn();
    await this.waitUntilAnswering(60_000, true);
  }

  /** SIGKILL now, then start again at once (not awaited by the fault: the crowd sees the gap). */
  async killAndRestart(): Promise<void> {
    const child = this.child;
    if (child) {
      this.child = null;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await this.restart();
  }

  /** Resolves once a restart under way (after a kill or a crash) has an answering process. */
  async settled(): Promise<void> {
    while (this.restarting) await this.restarting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.settled().catch(() => undefined);
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** For the process's exit handler: no waiting. */
  killNow(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }

  private spawn(): void {
    const child = spawn(process.execPath, [...APP_NODE_ARGS, ENTRY], { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      if (APP_LOG) appendFileSync(APP_LOG, chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.tail.push(line.slice(0, 2_000));
      if (this.tail.length > TAIL_LINES) this.tail = this.tail.slice(-TAIL_LINES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      this.child = null;
      // Node's report of a fatal error ends with the error object's fields: the lines that name it come first.
      const naming = this.tail.filter((line) => /Error|Unhandled|terminat|57P0|ECONN|^\s+at /.test(line));
      const crash = { at: performance.now(), exit: signal ?? `code ${code}`, tail: naming.slice(0, 10) };
      this.crashes.push(crash);
      this.log(`the issuance app died by itself (${crash.exit}); restarting it. Its last lines:\n  ${crash.tail.join('\n  ')}`);
      void this.restart().catch((error: unknown) => this.log(`restart failed: ${String(error)}`));
    });
  }

  private restart(): Promise<void> {
    if (this.restarting) return this.restarting;
    this.restarting = (async () => {
      for (let attempt = 1; ; attempt++) {
        if (this.stopping) return;
        this.tail = [];
        this.spawn();
        // Answering at all is enough here: a supervisor restarts a process, it does not wait for its dependencies.
        if (await this.waitUntilAnswering(60_000, false)) return;
        if (attempt >= MAX_STARTS_IN_A_ROW) throw new Error(`the issuance app did not start in ${attempt} attempts`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })().finally(() => (this.restarting = null));
    return this.restarting;
  }

  /** true once the process answers (with 200 when `healthy`); false if it exits first; throws at the deadline. */
  private async waitUntilAnswering(timeoutMs: number, healthy: boolean): Promise<boolean> {
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        if (healthy) throw new Error(`the issuance app exited while starting:\n  ${this.tail.join('\n  ')}`);
        return false;
      }
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
        if (healthy ? response.status === 200 : response.status > 0) return true;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the issuance app did not answer within ${timeoutMs / 1000} s:\n  ${this.tail.join('\n  ')}`);
  }
}
