import cluster, { Worker } from 'node:cluster';

export interface SupervisorOptions {
  /** The app's name, for the supervisor's lines on stderr. */
  name: string;
  workers: number;
  /** Workers replaced in all before the supervisor gives up: it then stops the others and exits 1. */
  maxRestarts: number;
  /** How long the workers have to drain after SIGTERM or SIGINT before they are killed. */
  shutdownGraceMs: number;
}

/**
 * The primary of a multi-worker app (node:cluster: the workers share the listening port). It
 * serves nothing itself; it keeps `workers` workers running and stops them.
 * - Running: a worker that exits, whatever its code or signal, is replaced at once, up to
 *   maxRestarts in all (a worker that cannot start, say Postgres refuses it, would otherwise be
 *   forked forever); past that the supervisor stops the app and exits 1.
 * - Stopping (SIGTERM or SIGINT to the primary): nothing is replaced any more, however a worker
 *   ends (a new one would keep the app alive past the signal); the signal goes to every worker,
 *   which closes its server and drains (Nest's shutdown hooks); any worker still alive after
 *   shutdownGraceMs is killed. The primary exits once every worker has: 0 when each ended by the
 *   signal or with code 0, 1 otherwise (killed, or failed on its way down).
 * It says on stderr which worker started, listens and exited, so an operator (and the
 * entry-point test) can tell them apart.
 */
export function superviseWorkers(options: SupervisorOptions): void {
  const live = new Set<Worker>();
  const say = (line: string) => process.stderr.write(`${options.name} ${line}\n`);
  let restarts = 0;
  let stopping: NodeJS.Signals | null = null;
  let exitCode = 0;

  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    say(`worker ${worker.process.pid} started`);
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = signal;
    say(`stopping on ${signal}: ${live.size} workers to drain`);
    if (live.size === 0) process.exit(exitCode);
    for (const worker of live) worker.process.kill(signal);
    // A worker still starting up, or stuck closing, must not keep the app alive forever.
    setTimeout(() => {
      for (const worker of live) {
        say(`worker ${worker.process.pid} still alive ${options.shutdownGraceMs} ms after ${signal}: killed`);
        worker.process.kill('SIGKILL');
      }
    }, options.shutdownGraceMs).unref();
  };

  cluster.on('listening', (worker, address) => say(`worker ${worker.process.pid} listening on port ${address.port}`));
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const how = signal ?? `code ${code}`;
    if (stopping) {
      if (code !== 0 && signal !== stopping) exitCode = 1;
      say(`worker ${worker.process.pid} exited (${how}) while stopping; ${live.size} left`);
      if (live.size === 0) process.exit(exitCode);
      return;
    }
    restarts += 1;
    if (restarts > options.maxRestarts) {
      say(`worker ${worker.process.pid} exited (${how}); ${options.maxRestarts} restarts used up, stopping`);
      exitCode = 1;
      stop('SIGTERM');
      return;
    }
    say(`worker ${worker.process.pid} exited (${how}); replacing it (restart ${restarts})`);
    fork();
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < options.workers; i++) fork();
}
