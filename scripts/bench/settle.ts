/**
 * `npm run bench:settle`: 200,000 approved merchants and 2,000,000 redemptions of one business
 * day seeded straight into Postgres (with their ledger postings), then the real build: the
 * settlement worker as a child process runs the nightly job for that day (a BullMQ flow of
 * chunk jobs); then the reconciliation report of the day over the settlement API. Checks the
 * batch against the seed and the ledger. The last line printed is one JSON object, with the
 * run's Postgres yardsticks (insert and scan rows a second) and the figures relative to them;
 * `--short` runs a tenth of the day.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { newPublicId, previousBusinessDay } from '@vouchers/common';
import { createDataSource, runMigrationsLocked, SettlementBatch } from '@vouchers/database';
import { Queue } from 'bullmq';
import { appEnv, benchSetting, log, openBenchServices, runBench, shortRun, spawnProcess, startProcess, stopProcess, printResult } from './bench-kit';
import { CpuMeter, postgresBackends } from './process-cpu';
import { measureYardsticks, relativeRate } from './yardsticks';
import { seedSettlementDay } from './settlement-day';

const MERCHANTS = benchSetting('BENCH_MERCHANTS', 200_000, 20_000);
const REDEMPTIONS = benchSetting('BENCH_REDEMPTIONS', 2_000_000, 200_000);
// Yesterday: a batch is opened only for a day at most SETTLEMENT_MAX_DAYS_BACK back (the run's database is new).
const DAY = previousBusinessDay(new Date());
const SECRET = `bench-secret-${newPublicId()}`;
const PORT = 3914;

async function main(): Promise<void> {
  const bench = await openBenchServices();
  const db = createDataSource(bench.databaseUrl, 4);
  await db.initialize();
  const env = appEnv(bench, SECRET);
  const queue = new Queue('settlement', { connection: { url: bench.redisUrl }, prefix: `${bench.prefix}{bull}` });
  try {
    await runMigrationsLocked(db);
    const yardsticks = await measureYardsticks(bench, ['pgInsertRowsPerSec', 'pgScanRowsPerSec']);
    log(`seeding ${MERCHANTS} merchants and ${REDEMPTIONS} redemptions of ${DAY}, with their ledger postings`);
    const seedStarted = Date.now();
    const seeded = await seedSettlementDay(db, { merchants: MERCHANTS, redemptions: REDEMPTIONS, businessDate: DAY });
    log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    // Any free port for the worker's /health and /metrics: the benchmark does not read them.
    const worker = spawnProcess('dist/apps/settlement/src/worker.js', { ...env, SETTLEMENT_WORKER_PORT: '0' });
    const app = await startProcess('dist/apps/settlement/src/main.js', { ...env, SETTLEMENT_PORT: String(PORT) }, PORT);
    log('build: the nightly job for the day, run by the settlement worker process');
    // CPU of the worker and of the database's Postgres backends over the build (docs/capacity.md).
    const backends = await postgresBackends(bench.databaseUrl);
    const meter = new CpuMeter({ worker: () => [worker.pid!], postgres: backends.pids });
    await meter.start();
    const buildStarted = Date.now();
    await queue.add('settle-day', { businessDate: DAY }, { jobId: `bench-settle-${DAY}` });
    let batch: SettlementBatch | null;
    for (;;) {
      batch = await db.manager.findOneBy(SettlementBatch, { businessDate: DAY });
      if (batch && batch.status !== 'building') break;
      if (Date.now() - buildStarted > 600_000) throw new Error(`build not done after 10 minutes: ${JSON.stringify(batch)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const buildSeconds = (Date.now() - buildStarted) / 1000;
    const buildCpu = await meter.stop();
    await backends.close();
    log(`built in ${buildSeconds.toFixed(1)} s: ${batch.chunkCount} chunks, status ${batch.status}; CPU seconds ${JSON.stringify(buildCpu)}`);

    const token = new JwtService({ secret: SECRET }).sign({ sub: newPublicId(), role: 'finance_official' }, { algorithm: 'HS256', expiresIn: '1h' });
    log('reconciliation of the day over the API');
    const reconcileStarted = Date.now();
    const response = await fetch(`http://127.0.0.1:${PORT}/v1/settlement/reconciliation?from=${DAY}&to=${DAY}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const report = (await response.json()) as { mismatches?: number };
    const reconcileSeconds = (Date.now() - reconcileStarted) / 1000;
    if (response.status !== 200 || typeof report.mismatches !== 'number') {
      throw new Error(`reconciliation answered ${response.status}: ${JSON.stringify(report).slice(0, 500)}`);
    }
    log(`reconciled in ${reconcileSeconds.toFixed(1)} s: ${report.mismatches} mismatches`);
    await stopProcess(app);
    await stopProcess(worker);

    // The batch against the seed, checked here independently of the report.
    const [check] = await db.query(
      `SELECT b.line_count, b.redemption_count, b.total_fen::bigint AS total,
              (SELECT count(*)::int FROM redemptions WHERE business_date = $1 AND settlement_line_id IS NULL) AS untied,
              (SELECT sum(city_fen)::bigint FROM settlement_lines WHERE batch_id = b.id) AS city,
              (SELECT sum(district_fen)::bigint FROM settlement_lines WHERE batch_id = b.id) AS district
         FROM settlement_batches b WHERE b.business_date = $1`,
      [DAY],
    );
    const batchMismatches =
      Number(check.line_count !== MERCHANTS) +
      Number(check.redemption_count !== REDEMPTIONS) +
      Number(Number(check.total) !== seeded.subsidyFen) +
      Number(check.untied !== 0) +
      Number(Number(check.city) !== seeded.cityFen) +
      Number(Number(check.district) !== seeded.districtFen);
    log(`batch check: ${JSON.stringify(check)} against subsidy ${seeded.subsidyFen} (city ${seeded.cityFen}, district ${seeded.districtFen})`);
    const [{ imbalance }] = await db.query(
      `SELECT COALESCE(sum(abs(d)), 0)::bigint AS imbalance FROM (SELECT sum(debit_fen) - sum(credit_fen) AS d FROM ledger_entries GROUP BY posting_id) p`,
    );
    printResult(
      {
        merchants: MERCHANTS,
        redemptions: REDEMPTIONS,
        buildSeconds: Number(buildSeconds.toFixed(1)),
        reconcileSeconds: Number(reconcileSeconds.toFixed(1)),
        mismatches: report.mismatches + batchMismatches,
        ledgerImbalanceFen: Number(imbalance),
        buildCpuSeconds: {
          worker: buildCpu.worker === null ? null : Number(buildCpu.worker.toFixed(2)),
          postgres: buildCpu.postgres === null ? null : Number(buildCpu.postgres.toFixed(2)),
        },
        ...(shortRun ? { short: true } : {}),
        yardsticks,
        relative: {
          buildRedemptionsPerPgScanRow: relativeRate(REDEMPTIONS / buildSeconds, yardsticks.pgScanRowsPerSec),
          buildRedemptionsPerPgInsertRow: relativeRate(REDEMPTIONS / buildSeconds, yardsticks.pgInsertRowsPerSec),
          reconcileRedemptionsPerPgScanRow: relativeRate(REDEMPTIONS / reconcileSeconds, yardsticks.pgScanRowsPerSec),
        },
      },
      ['mismatches', 'ledgerImbalanceFen'],
    );
  } finally {
    await queue.close();
    await db.destroy();
    await bench.close();
  }
}

runBench(main);
