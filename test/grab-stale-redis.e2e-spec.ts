import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { REDIS, Redis } from '@vouchers/redis';
import { withStateLock } from '../apps/issuance/src/claims/admission-state';
import { AdmissionWatch } from '../apps/issuance/src/claims/admission-watch';
import { AdmissionLoader } from '../apps/issuance/src/claims/admission-loader';
import { LOST_CHECKS, StaleStateCheck } from '../apps/issuance/src/claims/stale-state-check';
import { createActiveCampaign, createOpenLottery } from './support/campaigns';
import { GrabAnswer, GrabRig } from './support/grab-rig';
import { restoreSnapshot, takeSnapshot } from './support/redis-snapshot';
import { createVerifiedResidents, TestResident } from './support/residents';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Redis coming back with old data (a restart from a snapshot, a failover to a lagging replica)
 * must never oversell (DESIGN §4.7): Postgres refuses a batch beyond a round's quantity, the
 * requests get 503, and the state is rebuilt; the watch finds old state on its own too.
 */
describe('the grab when Redis comes back with old data', () => {
  const rig = new GrabRig();
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: Redis;
  const prefix = process.env.REDIS_KEY_PREFIX as string;
  const campaignKeys = (campaignId: string) => `${prefix}{cmp:${campaignId}}:*`;

  /** A client that retries 503s until it gets a final answer; every answer it saw is kept. */
  const grabUntilAnswered = async (resident: TestResident, roundId: string, seen: GrabAnswer[]): Promise<GrabAnswer> => {
    const giveUpAt = Date.now() + 25_000;
    while (Date.now() < giveUpAt) {
      const answer = await rig.grab(resident, roundId);
      seen.push(answer);
      if (answer.status !== 503) return answer;
      await sleep(100);
    }
    throw new Error('still 503 after 25 s');
  };

  const issuedOf = async (roundId: string) =>
    Number((await db.query('SELECT issued FROM rounds WHERE public_id = $1', [roundId]))[0].issued);

  beforeAll(async () => {
    ({ app, db, redis } = await rig.start());
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('Postgres refuses what an old snapshot admits: no oversell, nothing acknowledged lost, 503 and a rebuild', async () => {
    // The watch would find the old state by itself (next test); stopped here, so the backstop alone is tried.
    app.get(AdmissionWatch).onApplicationShutdown();
    const campaign = await createActiveCampaign(app, { quantity: [40] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 100);
    const snapshot = await takeSnapshot(redis, campaignKeys(campaign.id));

    const seen: GrabAnswer[] = [];
    const first = await Promise.all(residents.slice(0, 30).map((resident) => grabUntilAnswered(resident, round, seen)));
    expect(first.map((answer) => answer.status)).toEqual(Array(30).fill(201));
    // Redis comes back as it was before those 30: 40 in stock, nobody holding one, same generation.
    await restoreSnapshot(redis, campaignKeys(campaign.id), snapshot);
    expect(await rig.stockOf(campaign.id, round)).toBe(40);

    const second = await Promise.all(residents.slice(30).map((resident) => grabUntilAnswered(resident, round, seen)));
    const rows = await rig.rowsOf(round);
    expect(rows).toHaveLength(40);
    expect(await issuedOf(round)).toBe(40);
    const held = new Set(rows.map((row) => row.public_id));
    const acked = [...first, ...second].filter((answer) => answer.status === 201);
    expect(acked).toHaveLength(40);
    for (const answer of acked) expect(held.has(answer.body.id as string)).toBe(true);
    expect(second.filter((answer) => answer.status === 409).map((answer) => answer.body.code)).toEqual(Array(60).fill('SOLD_OUT'));
    // The refused batches: 503 with Retry-After while the state was rebuilt; never a 500.
    const refused = seen.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.body.code).toBe('ADMISSION_REBUILDING');
      expect(answer.retryAfter).toBe('1');
    }
    expect(seen.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
    expect(await rig.stockOf(campaign.id, round)).toBe(0);
  });

  it('an old snapshot that brings back a held state lock holds the rebuild up for one lease at most', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [20] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 40);
    // The snapshot is taken while a sync holds the state lock, as the app takes it; that holder is long gone after.
    const snapshot = await withStateLock(app.get<Redis>(REDIS), campaign.id, 1_000, () => takeSnapshot(redis, campaignKeys(campaign.id)));
    expect(snapshot?.some((entry) => entry.key.endsWith(':lock'))).toBe(true);
    for (const resident of residents.slice(0, 15)) expect((await rig.grab(resident, round)).status).toBe(201);
    await restoreSnapshot(redis, campaignKeys(campaign.id), snapshot ?? []);

    const started = Date.now();
    const seen: GrabAnswer[] = [];
    const answers = await Promise.all(residents.slice(15).map((resident) => grabUntilAnswered(resident, round, seen)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(5);
    expect(await rig.rowsOf(round)).toHaveLength(20);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await rig.stockOf(campaign.id, round)).toBe(0);
  }, 40_000);

  it('the watch finds state behind Postgres and rebuilds it before a grab is admitted', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [20] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 21);
    const snapshot = await takeSnapshot(redis, campaignKeys(campaign.id));
    for (const resident of residents.slice(0, 8)) expect((await rig.grab(resident, round)).status).toBe(201);
    const generation = await redis.get(`${prefix}{cmp:${campaign.id}}:loaded`);

    const check = app.get(StaleStateCheck);
    expect(await check.check(campaign.id)).toBe(false);
    await restoreSnapshot(redis, campaignKeys(campaign.id), snapshot);
    expect(await check.check(campaign.id)).toBe(true);
    expect(await redis.get(`${prefix}{cmp:${campaign.id}}:loaded`)).toBe(String(Number(generation) + 1));
    expect(await rig.stockOf(campaign.id, round)).toBe(12);
    // The person records are back too: a resident who holds one gets it again, not a second.
    const again = await rig.grab(residents[0], round);
    expect(again.status).toBe(200);
    expect(await rig.rowsOf(round)).toHaveLength(8);
  });

  it("takes a lottery round's empty stock for what it is (its vouchers come from the draw), not for stock lost", async () => {
    const lottery = await createOpenLottery(app, db);
    const [{ campaignId }] = await db.query('SELECT c.public_id AS "campaignId" FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE r.public_id = $1', [lottery]);
    await app.get(AdmissionLoader).ensureLoaded(campaignId, 1);
    const generation = await redis.get(`${prefix}{cmp:${campaignId}}:loaded`);
    expect(generation).not.toBeNull();
    const verdicts: boolean[] = [];
    for (let i = 0; i < LOST_CHECKS + 1; i++) verdicts.push(await app.get(StaleStateCheck).check(campaignId));
    expect(verdicts).toEqual(Array.from({ length: LOST_CHECKS + 1 }, () => false));
    expect(await redis.get(`${prefix}{cmp:${campaignId}}:loaded`)).toBe(generation);
  });

  it('never takes a state that is right for an old one, even in the middle of a rush', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [300] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 400);
    const generation = await redis.get(`${prefix}{cmp:${campaign.id}}:loaded`);
    let done = false;
    const rush = Promise.all(residents.map((resident) => rig.grab(resident, round))).finally(() => (done = true));
    const verdicts: boolean[] = [];
    while (!done) verdicts.push(await app.get(StaleStateCheck).check(campaign.id));
    const answers = await rush;
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.filter(Boolean)).toEqual([]);
    expect(await redis.get(`${prefix}{cmp:${campaign.id}}:loaded`)).toBe(generation);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(300);
    expect(await issuedOf(round)).toBe(300);
  });
});
