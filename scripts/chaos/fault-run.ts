/** One fault of `npm run chaos`: a fresh campaign and app, the rush with the fault in it, then the checks. */
import type { Pool } from 'pg';
import { invariantsOf, recoveredSeconds, round1, waitForWholeStock } from './checks';
import { seedRound } from './crowd';
import { FAULTS, FaultName } from './faults';
import { PrivateRedis } from './private-redis';
import { Rush } from './rush';
import { SupervisedApp } from './supervised-app';

export interface FaultRun {
  pg: Pool;
  redis: PrivateRedis;
  app: SupervisedApp;
  databaseName: string;
  keyPrefix: string;
  tokens: string[];
  settings: {
    quantity: number;
    arrivalsPerSecond: number;
    connections: number;
    patienceMs: number;
    rushDeadlineMs: number;
    healBoundMs: number;
    healWatchMs: number;
  };
  log: (message: string) => void;
}

/** The line printed for a fault: the fields up to status500 are the run's contract; the rest explain them. */
export interface FaultLine {
  fault: FaultName;
  acked: number;
  rows: number;
  stock: number | null;
  oversold: number;
  ackedMissing: number;
  overLimit: number;
  strandedStock: number;
  recoveredSeconds: number | null;
  status500: number;
  appCrashed: boolean;
  excessStock: number;
  healWaitSeconds: number | null;
  status503: number;
  noAnswer: number;
  gaveUp: number;
  longestWaitSeconds: number;
  /** When the fault struck (for pg-cut, its last round), seconds into the rush. */
  faultSeconds: number | null;
  rushSeconds: number;
  quantity: number;
  crowd: number;
  error?: string;
}

/**
 * A breach: an invariant broken (oversold, acknowledged but missing, over the limit, stock
 * stranded or offered twice), a 500, the app dying by itself, grabs never working again
 * after the fault, or a fault that could not be run as meant.
 */
export function isBreach(line: FaultLine): boolean {
  return (
    line.oversold > 0 ||
    line.ackedMissing > 0 ||
    line.overLimit > 0 ||
    line.strandedStock > 0 ||
    line.excessStock > 0 ||
    line.status500 > 0 ||
    line.appCrashed ||
    line.recoveredSeconds === null ||
    line.error !== undefined
  );
}

async function waitForLoaded(run: FaultRun, campaignId: string): Promise<void> {
  const key = `${run.keyPrefix}{cmp:${campaignId}}:loaded`;
  const deadline = Date.now() + 20_000;
  while ((await run.redis.client.exists(key)) === 0) {
    if (Date.now() > deadline) throw new Error(`campaign ${campaignId} was not loaded into Redis within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function runFault(run: FaultRun, name: FaultName): Promise<FaultLine> {
  const { settings, app } = run;
  const round = await seedRound(run.pg, settings.quantity, `chaos ${name}`);
  await app.start();
  await waitForLoaded(run, round.campaignId);
  const crashesBefore = app.crashes.length;

  const rush = new Rush({
    url: app.url,
    roundId: round.roundId,
    tokens: run.tokens,
    arrivalsPerSecond: settings.arrivalsPerSecond,
    connections: settings.connections,
    patienceMs: settings.patienceMs,
    deadlineMs: settings.rushDeadlineMs,
  });
  const startedAt = performance.now();
  const running = rush.run();
  let faultAt: number | null = null;
  let error: string | undefined;
  try {
    faultAt = await FAULTS[name].inject({ ...run, quantity: settings.quantity, rush, running, log: run.log });
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    run.log(`${name}: ${error}`);
  }
  const result = await running;
  await app.settled();
  run.log(`${name}: answers ${JSON.stringify(result.codes)}; at most ${result.peakInFlight} grabs in flight at once`);

  const stock = await waitForWholeStock(run.pg, run.redis.client, run.keyPrefix, round, settings.healBoundMs, settings.healWatchMs);
  const invariants = await invariantsOf(run.pg, round, result.acked);
  const crashes = app.crashes.slice(crashesBefore);
  await app.stop();
  const recovered = faultAt === null ? null : recoveredSeconds(result.answers, faultAt);
  if (faultAt !== null && !result.answers.some((answer) => answer.sentAt >= faultAt)) {
    error ??= 'no grab was sent after the fault: the rush ended first';
  }
  return {
    fault: name,
    acked: result.acked.size,
    rows: invariants.rows,
    stock: stock.stock,
    oversold: invariants.oversold,
    ackedMissing: invariants.ackedMissing,
    overLimit: invariants.overLimit,
    strandedStock: stock.strandedStock,
    recoveredSeconds: recovered,
    status500: result.status500,
    appCrashed: crashes.length > 0,
    excessStock: stock.excessStock,
    healWaitSeconds: stock.healWaitSeconds,
    status503: result.status503,
    noAnswer: result.noAnswer,
    gaveUp: result.gaveUp,
    longestWaitSeconds: round1(result.longestWaitMs / 1000),
    faultSeconds: faultAt === null ? null : round1((faultAt - startedAt) / 1000),
    rushSeconds: round1((result.endedAt - startedAt) / 1000),
    quantity: settings.quantity,
    crowd: run.tokens.length,
    ...(error === undefined ? {} : { error }),
  };
}
