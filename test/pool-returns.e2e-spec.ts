import { Role } from '@vouchers/auth';
import request from 'supertest';
import { AdmissionLoader } from '../apps/issuance/src/claims/admission-loader';
import { ReturnStock } from '../apps/issuance/src/pool-returns/return-stock';
import { ReturnToPool } from '../apps/issuance/src/pool-returns/return-to-pool';
import { PendingRedisReturn, ReturnSource } from '../apps/issuance/src/pool-returns/pool-return.types';
import { EXPIRY_SOURCES, REDIS_PENDING } from '../apps/issuance/src/pool-returns/pool-returns.sql';
import { recordReturn } from '../apps/issuance/src/pool-returns/record-return';
import { VoucherExpiry } from '../apps/settlement/src/expiry/voucher-expiry';
import { testConfig } from './support/apps';
import { CampaignSpec, createActiveCampaign, officialToken, TestCampaign } from './support/campaigns';
import { GrabRig } from './support/grab-rig';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile } from './support/settlement';
import { killProcess, until } from './support/settlement-faults';
import { bearer, tokenFor } from './support/tokens';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../scripts/chaos/private-redis';

/**
 * Return to the pool (回流, DESIGN §8) against real Postgres and Redis, in a database of its own
 * (the program budget's figures are this file's alone): each return policy, from expiry runs and
 * from closed rounds; a rerun and a duplicate job add nothing twice; a job that stops between
 * its Postgres commit and its Redis script is healed by the next run or by a rebuild, once; and
 * stock returned into a round during a rush of grabs is taken, and no more.
 */
describe('return to the pool', () => {
  const rig = new GrabRig();
  let dropDatabase: () => Promise<void>;
  let job: ReturnToPool;
  let expiry: VoucherExpiry;
  const FACE = 1000;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    dropDatabase = await isolateThisFile({ ownKeyPrefix: false });
    await rig.start();
    job = rig.app.get(ReturnToPool);
    expiry = new VoucherExpiry(rig.db, testConfig());
  });

  afterAll(async () => {
    await rig.stop();
    await dropDatabase();
  });

  /** Round 0 opened two hours ago (the source), round 1 a minute ago (a later round, open now), unless the spec says. */
  const campaign = (spec: CampaignSpec): Promise<TestCampaign> =>
    createActiveCampaign(rig.app, {
      faceValueFen: FACE,
      windows: [{ opensAt: new Date(Date.now() - 2 * HOUR) }, { opensAt: new Date(Date.now() - 60_000) }],
      ...spec,
    });

  const grabAll = async (residents: TestResident[], roundId: string) => Promise.all(residents.map((resident) => rig.grab(resident, roundId)));

  /** Grabs `count` vouchers of the round, then puts them past their validity and runs the expiry job to its end. */
  async function expireFrom(roundId: string, count: number): Promise<void> {
    const answers = await grabAll(await createVerifiedResidents(rig.db, count), roundId);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    await rig.db.query(
      "UPDATE vouchers SET expires_at = now() - interval '1 minute' WHERE round_id = (SELECT id FROM rounds WHERE public_id = $1)",
      [roundId],
    );
    for (;;) if ((await expiry.run()).finished) break;
  }

  const roundRow = async (roundId: string): Promise<{ quantity: number; issued: number }> =>
    (await rig.db.query('SELECT quantity, issued FROM rounds WHERE public_id = $1', [roundId]))[0];

  const campaignRow = async (campaignId: string): Promise<{ budget: number; returned: number }> =>
    (await rig.db.query('SELECT budget_fen::int AS budget, returned_fen::int AS returned FROM campaigns WHERE public_id = $1', [campaignId]))[0];

  const returnsOf = (campaignId: string) =>
    rig.db.query(
      `SELECT p.source, p.destination, t.public_id AS target, p.vouchers, p.value_fen::int AS value, p.city_fen::int AS city,
              p.district_fen::int AS district, p.redis_applied_at IS NOT NULL AS applied
         FROM pool_returns p JOIN campaigns c ON c.id = p.campaign_id LEFT JOIN rounds t ON t.id = p.target_round_id
        WHERE c.public_id = $1 ORDER BY p.id`,
      [campaignId],
    );

  const redisBudget = async (campaignId: string) => Number(await rig.redis.hget(`${rig.prefix}{cmp:${campaignId}}:meta`, 'budget'));

  const programBudget = async () =>
    (await request(rig.app.getHttpServer()).get('/v1/admin/program-budget').set(bearer(tokenFor({ role: Role.FinanceOfficial }))).expect(200)).body;

  it('takes the policy as returnPolicy (or the older returnsToPool) and refuses a bad or contradictory one with a stable code', async () => {
    const body = (extra: Record<string, unknown>) => ({
      name: 'policy check',
      categories: ['dining'],
      districts: [],
      budgetFen: 10_000,
      cityShareBp: 5000,
      validityDays: 7,
      perPersonLimit: 1,
      voucherTypes: [{ name: '满40减10', faceValueFen: FACE, thresholdFen: 4000, rounds: [{ opensAt: new Date().toISOString(), quantity: 10 }] }],
      ...extra,
    });
    const post = (extra: Record<string, unknown>) => request(rig.app.getHttpServer()).post('/v1/admin/campaigns').set(bearer(officialToken())).send(body(extra));
    expect((await post({ returnPolicy: 'somewhere' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await post({ returnPolicy: 'next_round', returnsToPool: false }).expect(400)).body.code).toBe('RETURN_POLICY_CONFLICT');
    const created = await post({ returnPolicy: 'program_budget' }).expect(201);
    const read = await request(rig.app.getHttpServer()).get(`/v1/admin/campaigns/${created.body.id}`).set(bearer(officialToken())).expect(200);
    expect(read.body).toMatchObject({ returnPolicy: 'program_budget', returnsToPool: false, returnedFen: 0 });
    const older = await post({ returnsToPool: true }).expect(201);
    const [{ policy }] = await rig.db.query('SELECT return_policy AS policy FROM campaigns WHERE public_id = $1', [older.body.id]);
    expect(policy).toBe('next_round');
  });

  it('next_round: expired vouchers go to the later round once, in Postgres and in Redis, and a rerun or a rebuild adds nothing', async () => {
    const c = await campaign({ quantity: [5, 3], returnPolicy: 'next_round' });
    await expireFrom(c.rounds[0], 5);
    await rig.app.get(AdmissionLoader).ensureLoaded(c.id);
    const budgetBefore = await redisBudget(c.id);

    const outcome = await job.run();
    expect(outcome.recorded).toEqual([
      expect.objectContaining({ campaignId: c.id, source: 'expiry', destination: 'next_round', targetRoundId: c.rounds[1], vouchers: 5, valueFen: 5 * FACE }),
    ]);
    expect(outcome).toMatchObject({ redisPending: 0, refused: [] });
    expect(await roundRow(c.rounds[1])).toEqual({ quantity: 8, issued: 0 });
    expect(await rig.stockOf(c.id, c.rounds[1])).toBe(8);
    expect(await redisBudget(c.id)).toBe(budgetBefore + 5 * FACE);
    expect(await returnsOf(c.id)).toEqual([
      { source: 'expiry', destination: 'next_round', target: c.rounds[1], vouchers: 5, value: 5 * FACE, city: 2500, district: 2500, applied: true },
    ]);
    const [audit] = await rig.db.query("SELECT actor_role AS role, detail FROM audit_log WHERE action = 'pool_return.recorded' AND target_id = $1", [c.id]);
    expect(audit).toMatchObject({ role: 'system', detail: { vouchers: 5, valueFen: 5 * FACE, sourceRoundId: c.rounds[0], targetRoundId: c.rounds[1] } });

    const metrics = (await request(rig.app.getHttpServer()).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/pool_return_vouchers_total\{[^}]*source="expiry"[^}]*destination="next_round"[^}]*\} \d+/);
    expect(metrics).toMatch(/pool_return_redis_pending\{[^}]*\} 0/);

    // A rerun, and a rebuild of the state from Postgres: the same figures.
    expect((await job.run()).recorded).toEqual([]);
    await rig.app.get(AdmissionLoader).rebuild(c.id);
    expect(await roundRow(c.rounds[1])).toEqual({ quantity: 8, issued: 0 });
    expect(await rig.stockOf(c.id, c.rounds[1])).toBe(8);
    expect(await redisBudget(c.id)).toBe(budgetBefore + 5 * FACE);

    // The returned stock is grabbed like any other, and no more of it.
    const answers = await grabAll(await createVerifiedResidents(rig.db, 10), c.rounds[1]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(8);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(['SOLD_OUT', 'SOLD_OUT']);
    expect(await roundRow(c.rounds[1])).toEqual({ quantity: 8, issued: 8 });
    expect((await programBudget()).balanced).toBe(true);
  });

  it('program_budget: expired value lowers the campaign budget, split city/district, and raises what the program has available', async () => {
    const before = await programBudget();
    const c = await campaign({ quantity: [4, 2], returnPolicy: 'program_budget', budgetFen: 7 * FACE });
    await rig.db.query("UPDATE campaigns SET city_share_bp = 3333 WHERE public_id = $1", [c.id]);
    await expireFrom(c.rounds[0], 3);
    await rig.app.get(AdmissionLoader).rebuild(c.id);
    const budgetBefore = await redisBudget(c.id);

    const outcome = await job.run();
    expect(outcome.recorded).toEqual([expect.objectContaining({ destination: 'program_budget', targetRoundId: null, vouchers: 3, valueFen: 3000, cityFen: 999, districtFen: 2001 })]);
    expect(await campaignRow(c.id)).toEqual({ budget: 4 * FACE, returned: 3 * FACE });
    expect(await roundRow(c.rounds[1])).toEqual({ quantity: 2, issued: 0 });
    // The budget the admission state has left is the same: 3000 fewer in the budget, 3000 fewer spent.
    expect(await redisBudget(c.id)).toBe(budgetBefore);
    await rig.app.get(AdmissionLoader).rebuild(c.id);
    expect(await redisBudget(c.id)).toBe(budgetBefore);

    const after = await programBudget();
    expect(after).toMatchObject({ balanced: true, problems: [], totalFen: before.totalFen });
    expect(after.committedFen).toBe(before.committedFen + 7 * FACE - 3 * FACE);
    expect(after.returnedFen).toBe(before.returnedFen + 3000);
    expect(after.returned.cityFen - before.returned.cityFen).toBe(999);
    expect(after.returned.districtFen - before.returned.districtFen).toBe(2001);
    expect(after.availableFen).toBe(after.totalFen - after.committedFen);
    expect(after.committedFen + after.availableFen).toBe(after.totalFen);
    expect((await job.run()).recorded).toEqual([]);
    expect(await campaignRow(c.id)).toEqual({ budget: 4 * FACE, returned: 3 * FACE });

    // Postgres itself refuses a counter that is not the returns, or a return the counter does not count.
    await expect(rig.db.query('UPDATE campaigns SET returned_fen = returned_fen + 1 WHERE public_id = $1', [c.id])).rejects.toThrow(/program_budget returns/);
    await expect(
      rig.db.query(
        `INSERT INTO pool_returns (public_id, source_key, source, source_round_id, campaign_id, voucher_type_id, destination,
                                   vouchers, value_fen, city_fen, district_fen, redis_stock, redis_budget_fen)
         SELECT gen_random_uuid(), 'forged', 'round_close', r.id, r.campaign_id, r.voucher_type_id, 'program_budget', 1, 1000, 500, 500, 0, 0
           FROM rounds r WHERE r.public_id = $1`,
        [c.rounds[1]],
      ),
    ).rejects.toThrow(/program_budget returns/);
    expect(await campaignRow(c.id)).toEqual({ budget: 4 * FACE, returned: 3 * FACE });
  });

  it('a closed round gives its unclaimed stock to the later round (next_round) or back to the program (program_budget); none returns nothing', async () => {
    const closed = { opensAt: new Date(Date.now() - 3 * HOUR), closesAt: new Date(Date.now() - HOUR) };
    const windows = [closed, { opensAt: new Date(Date.now() - 60_000) }];
    const toRound = await campaign({ quantity: [6, 4], returnPolicy: 'next_round', windows });
    const toProgram = await campaign({ quantity: [5, 1], returnPolicy: 'program_budget', windows });
    const kept = await campaign({ quantity: [7, 2], returnPolicy: 'none', windows });
    for (const c of [toRound, toProgram, kept]) await rig.app.get(AdmissionLoader).ensureLoaded(c.id);
    const programBudgetBefore = await redisBudget(toProgram.id);

    const recorded = (await job.run()).recorded;
    expect(recorded.filter((r) => r.campaignId === kept.id)).toEqual([]);
    expect(await roundRow(kept.rounds[0])).toEqual({ quantity: 7, issued: 0 });

    expect(recorded.find((r) => r.campaignId === toRound.id)).toMatchObject({ source: 'round_close', destination: 'next_round', vouchers: 6, valueFen: 6 * FACE });
    expect(await roundRow(toRound.rounds[0])).toEqual({ quantity: 0, issued: 0 });
    expect(await roundRow(toRound.rounds[1])).toEqual({ quantity: 10, issued: 0 });
    expect(await rig.stockOf(toRound.id, toRound.rounds[1])).toBe(10);
    expect(await rig.stockOf(toRound.id, toRound.rounds[0])).toBe(0);

    expect(recorded.find((r) => r.campaignId === toProgram.id)).toMatchObject({ source: 'round_close', destination: 'program_budget', vouchers: 5, valueFen: 5 * FACE });
    expect(await campaignRow(toProgram.id)).toEqual({ budget: FACE, returned: 5 * FACE });
    expect(await redisBudget(toProgram.id)).toBe(programBudgetBefore - 5 * FACE);
    await rig.app.get(AdmissionLoader).rebuild(toProgram.id);
    expect(await redisBudget(toProgram.id)).toBe(programBudgetBefore - 5 * FACE);
    const answers = await grabAll(await createVerifiedResidents(rig.db, 3), toProgram.rounds[1]);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);

    expect((await job.run()).recorded).toEqual([]);
    expect(await roundRow(toRound.rounds[1])).toEqual({ quantity: 10, issued: 0 });
    expect((await programBudget()).balanced).toBe(true);
  });

  it("a round without its own close ends with the campaign's validity: its stock goes back then, and never into a round past it", async () => {
    const toProgram = await campaign({ quantity: [5, 1], returnPolicy: 'program_budget' });
    const closed = { opensAt: new Date(Date.now() - 3 * HOUR), closesAt: new Date(Date.now() - 2 * HOUR) };
    const toRound = await campaign({ quantity: [6, 4], returnPolicy: 'next_round', windows: [closed, { opensAt: new Date(Date.now() - HOUR) }] });
    for (const c of [toProgram, toRound]) await rig.app.get(AdmissionLoader).ensureLoaded(c.id);
    // Neither campaign's rounds close by themselves; their validity ended an hour ago.
    await rig.db.query("UPDATE campaigns SET valid_until = now() - interval '1 hour' WHERE public_id = ANY($1)", [[toProgram.id, toRound.id]]);

    const recorded = (await job.run()).recorded;
    const of = (c: TestCampaign) => recorded.filter((r) => r.campaignId === c.id).map((r) => [r.destination, r.vouchers]);
    expect(of(toProgram)).toEqual([
      ['program_budget', 5],
      ['program_budget', 1],
    ]);
    expect(await campaignRow(toProgram.id)).toEqual({ budget: 0, returned: 6 * FACE });
    // The later round admits no grab either: nothing is raised there, the closed round's stock is kept.
    expect(of(toRound)).toEqual([
      ['kept', 6],
      ['kept', 4],
    ]);
    expect((await returnsOf(toRound.id)).map((r: { target: string | null }) => r.target)).toEqual([null, null]);
    // Each closed round gave up its own unclaimed stock, and took none.
    expect(await roundRow(toRound.rounds[1])).toEqual({ quantity: 0, issued: 0 });
    expect((await programBudget()).balanced).toBe(true);
  });

  it('a job stopped between its Postgres commit and its Redis script is healed once: by the next run, or by a rebuild and then the run', async () => {
    const pendingOf = async (campaignId: string): Promise<PendingRedisReturn[]> =>
      ((await rig.db.query(REDIS_PENDING, [1000])) as PendingRedisReturn[]).filter((row) => row.campaignPublicId === campaignId);
    // The script by hand, as a process would run it; the state lock a sync holds for a moment is waited out.
    const applyByHand = (row: PendingRedisReturn) =>
      until('a reply other than BUSY', async () => {
        const reply = await rig.app.get(ReturnStock).apply(row);
        return reply === 'BUSY' ? undefined : reply;
      }, 10_000, 50);
    // A job that stops (dies) after its Postgres commits: each source recorded, no Redis step run.
    const commitOnly = async (): Promise<number> => {
      const sources: ReturnSource[] = await rig.db.query(EXPIRY_SOURCES, [1000]);
      let committed = 0;
      for (const source of sources) if (await rig.db.transaction((manager) => recordReturn(manager, source))) committed += 1;
      return committed;
    };
    // Runs the job until the campaign's returns are all done in Redis: a pass that meets the state
    // lock (the watch's sync holds it for a moment every 2 s) leaves its return for the next.
    const settle = (campaignId: string) =>
      until('the Redis half done', async () => {
        await job.run();
        return (await pendingOf(campaignId)).length === 0 ? true : undefined;
      }, 10_000, 50);

    // Stopped after the commit: Postgres holds the return, Redis not yet.
    const a = await campaign({ quantity: [2, 3], returnPolicy: 'next_round' });
    await expireFrom(a.rounds[0], 2);
    await rig.app.get(AdmissionLoader).ensureLoaded(a.id);
    expect(await commitOnly()).toBe(1);
    expect(await roundRow(a.rounds[1])).toEqual({ quantity: 5, issued: 0 });
    expect(await rig.stockOf(a.id, a.rounds[1])).toBe(3);
    expect(await pendingOf(a.id)).toHaveLength(1);
    // The next run does the Redis half, once; another does nothing.
    await settle(a.id);
    expect(await rig.stockOf(a.id, a.rounds[1])).toBe(5);
    await job.run();
    expect(await rig.stockOf(a.id, a.rounds[1])).toBe(5);

    // Stopped after the commit, then Redis rebuilt from Postgres (which counts the return), then the run: nothing added twice.
    const b = await campaign({ quantity: [2, 3], returnPolicy: 'next_round' });
    await expireFrom(b.rounds[0], 2);
    await rig.app.get(AdmissionLoader).ensureLoaded(b.id);
    await commitOnly();
    await rig.app.get(AdmissionLoader).rebuild(b.id);
    expect(await rig.stockOf(b.id, b.rounds[1])).toBe(5);
    const [pending] = await pendingOf(b.id);
    expect(await applyByHand(pending)).toBe('ALREADY');
    await settle(b.id);
    expect(await rig.stockOf(b.id, b.rounds[1])).toBe(5);

    // Stopped after the script but before marking it done: the run finds it applied.
    const c = await campaign({ quantity: [2, 3], returnPolicy: 'next_round' });
    await expireFrom(c.rounds[0], 2);
    await rig.app.get(AdmissionLoader).ensureLoaded(c.id);
    await commitOnly();
    const [unmarked] = await pendingOf(c.id);
    expect(await applyByHand(unmarked)).toBe('APPLIED');
    expect(await rig.stockOf(c.id, c.rounds[1])).toBe(5);
    await settle(c.id);
    expect(await rig.stockOf(c.id, c.rounds[1])).toBe(5);

    // A state held by a rebuild answers BUSY: the return waits for the next run.
    const d = await campaign({ quantity: [1, 1], returnPolicy: 'next_round' });
    await expireFrom(d.rounds[0], 1);
    await rig.app.get(AdmissionLoader).ensureLoaded(d.id);
    await commitOnly();
    await rig.redis.set(`${rig.prefix}{cmp:${d.id}}:lock`, 'someone', 'PX', 10_000);
    expect(await job.applyPending()).toMatchObject({ redisPending: 1 });
    await rig.redis.del(`${rig.prefix}{cmp:${d.id}}:lock`);
    await settle(d.id);
    expect(await rig.stockOf(d.id, d.rounds[1])).toBe(2);
    expect((await programBudget()).balanced).toBe(true);
  });

  it('an issuance process killed (SIGKILL) while its job returns 30 sources: a rerun completes them, each once in Postgres and in Redis', async () => {
    const CAMPAIGNS = 30;
    const made: TestCampaign[] = [];
    for (let i = 0; i < CAMPAIGNS; i++) made.push(await campaign({ quantity: [2, 3], returnPolicy: 'next_round' }));
    const answers = await Promise.all(made.map(async (c) => grabAll(await createVerifiedResidents(rig.db, 2), c.rounds[0])));
    expect(answers.flat().every((a) => a.status === 201)).toBe(true);
    await rig.db.query("UPDATE vouchers SET expires_at = now() - interval '1 minute' WHERE campaign_id IN (SELECT id FROM campaigns WHERE public_id = ANY($1::uuid[]))", [
      made.map((c) => c.id),
    ]);
    for (;;) if ((await expiry.run()).finished) break;
    const ids = made.map((c) => c.id);
    const recordedOf = async () =>
      (
        await rig.db.query(
          `SELECT count(*)::int AS recorded, count(p.redis_applied_at)::int AS applied
             FROM pool_returns p JOIN campaigns c ON c.id = p.campaign_id WHERE c.public_id = ANY($1::uuid[])`,
          [ids],
        )
      )[0] as { recorded: number; applied: number };

    // The real entry point, its return job on a 50 ms timer; killed as soon as its first return is in.
    const child: ChildProcess = spawn(process.execPath, [join(__dirname, '../dist/apps/issuance/src/main.js')], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, ISSUANCE_PORT: String(await freePort()), HTTP_WORKERS: '1', POOL_RETURN_EVERY_MS: '50', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      await until('the first return of the killed process', async () => ((await recordedOf()).recorded > 0 ? true : undefined), 30_000, 2);
    } finally {
      await killProcess(child);
    }
    const atKill = await recordedOf();
    expect(atKill.recorded).toBeGreaterThan(0);

    // The next runs finish the rest; a state whose lock the dead process held (it was rebuilding) answers BUSY until the lock lapses.
    await until('every return recorded and applied', async () => {
      await job.run();
      const { recorded, applied } = await recordedOf();
      return recorded === CAMPAIGNS && applied === CAMPAIGNS ? true : undefined;
    }, 30_000, 500);
    expect(await recordedOf()).toEqual({ recorded: CAMPAIGNS, applied: CAMPAIGNS });
    for (const c of made) {
      await rig.app.get(AdmissionLoader).ensureLoaded(c.id);
      expect(await roundRow(c.rounds[1])).toEqual({ quantity: 5, issued: 0 });
      expect(await rig.stockOf(c.id, c.rounds[1])).toBe(5);
    }
    // Taken like any stock: five of six grabs.
    const late = await grabAll(await createVerifiedResidents(rig.db, 6), made[CAMPAIGNS - 1].rounds[1]);
    expect(late.filter((a) => a.status === 201)).toHaveLength(5);
    expect((await programBudget()).balanced).toBe(true);
  }, 120_000);

  it('stock returned during a rush of grabs is taken and no more: no oversell, nothing added twice by duplicate jobs', async () => {
    const QUANTITY = 40;
    const RETURNED = 25;
    const c = await campaign({ quantity: [RETURNED, QUANTITY], returnPolicy: 'next_round' });
    await expireFrom(c.rounds[0], RETURNED);
    await rig.app.get(AdmissionLoader).ensureLoaded(c.id);
    const residents = await createVerifiedResidents(rig.db, 150);

    // 100 grab; once the first are in Postgres, three jobs (one process's and two duplicates) return the 25 expired vouchers' stock.
    const rush = grabAll(residents.slice(0, 100), c.rounds[1]);
    await until('the rush under way', async () => ((await roundRow(c.rounds[1])).issued >= 5 ? true : undefined), 10_000, 2);
    const jobs = Promise.all([job.run(), job.run(), job.run()]);
    const [answers, outcomes] = await Promise.all([rush, jobs]);
    expect(outcomes.flatMap((o) => o.recorded).filter((r) => r.campaignId === c.id)).toHaveLength(1);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);

    // The rest grab after: together they take exactly the quantity and what was returned.
    const late = await grabAll(residents.slice(100), c.rounds[1]);
    const claimed = [...answers, ...late].filter((a) => a.status === 201).length;
    expect(claimed).toBe(QUANTITY + RETURNED);
    expect([...answers, ...late].filter((a) => a.status !== 201).every((a) => a.body.code === 'SOLD_OUT')).toBe(true);
    expect(await roundRow(c.rounds[1])).toEqual({ quantity: QUANTITY + RETURNED, issued: QUANTITY + RETURNED });
    expect((await rig.rowsOf(c.rounds[1])).length).toBe(QUANTITY + RETURNED);
    expect(await rig.stockOf(c.id, c.rounds[1])).toBe(0);
    expect(await returnsOf(c.id)).toHaveLength(1);
    expect((await programBudget()).balanced).toBe(true);
  });
});
