import { callScript, REDIS, Redis } from '@vouchers/redis';
import { admissionKeys, bucketOf, stateIdOf, stateIdsOf } from '../apps/issuance/src/claims/admission-keys';
import { AdmissionLoader } from '../apps/issuance/src/claims/admission-loader';
import { AdmissionWatch } from '../apps/issuance/src/claims/admission-watch';
import { LOST_CHECKS, StaleStateCheck } from '../apps/issuance/src/claims/stale-state-check';
import { createActiveCampaign, TestCampaign } from './support/campaigns';
import { GrabAnswer, GrabRig } from './support/grab-rig';
import { GrabRush } from './support/grab-rush';
import { PgCutter } from './support/pg-cutter';
import { loseStateAtOnce } from './support/redis-keys';
import { restoreSnapshot, takeSnapshot, takeSnapshotAtOnce } from './support/redis-snapshot';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile } from './support/settlement';

const K = 4;
const FACE = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The grab's answers that say "come back" (all with Retry-After). */
const COME_BACK = ['CLAIM_NOT_SAVED', 'CLAIM_IN_PROGRESS', 'ADMISSION_UNAVAILABLE', 'ADMISSION_REBUILDING', 'DATABASE_UNAVAILABLE'];
const outcome = (a: GrabAnswer) => `${a.status} ${a.body.code ?? ''}`.trim();

interface HeldRow {
  public_id: string;
  resident: string;
  round: string;
  person_seq: number;
}

/**
 * The faults of grab-stale-redis, grab-faults and grab-pg-cuts, on a campaign whose rounds are
 * split into K = 4 hot-stock buckets (ADMISSION.md): K admission states on K slots, each
 * faulted on its own. Whatever the fault: Postgres never holds more than a round's quantity,
 * nobody more than the per-person limit, every acknowledged voucher is in Postgres, every
 * 5xx is a 503 with Retry-After; and once the platform has recovered (rebuild, sweep), the
 * buckets' stock plus Postgres' vouchers is each round's quantity exactly.
 */
describe('hot-stock buckets under faults', () => {
  let cutter: PgCutter;
  let rig: GrabRig;
  let dropDatabase: () => Promise<void>;
  let loader: AdmissionLoader;
  let watch: AdmissionWatch;
  /** The app's own client (its key prefix), for the app's scripts. */
  let appRedis: Redis;

  const tagOf = (campaignId: string, bucket: number) => `${rig.prefix}{cmp:${stateIdOf(campaignId, bucket, K)}}:`;
  const markers = (campaignId: string) =>
    Promise.all([campaignId, ...stateIdsOf(campaignId, K)].map((stateId) => rig.redis.get(rig.prefix + admissionKeys(stateId).loaded)));
  const generationOf = async (campaignId: string) =>
    Number(
      (await rig.db.query('SELECT a.generation FROM campaign_admission a JOIN campaigns c ON c.id = a.campaign_id WHERE c.public_id = $1', [campaignId]))[0]
        .generation,
    );
  const budgetOf = async (campaignId: string) =>
    (await Promise.all(stateIdsOf(campaignId, K).map(async (stateId) => Number(await rig.redis.hget(rig.prefix + admissionKeys(stateId).meta, 'budget'))))).reduce(
      (a, b) => a + b,
      0,
    );
  const pendingOf = async (campaignId: string) =>
    Promise.all(stateIdsOf(campaignId, K).map((stateId) => rig.redis.zcard(rig.prefix + admissionKeys(stateId).pending)));
  const rowsOf = (campaignId: string): Promise<HeldRow[]> =>
    rig.db.query(
      `SELECT v.public_id, res.public_id AS resident, r.public_id AS round, v.person_seq FROM vouchers v
         JOIN campaigns c ON c.id = v.campaign_id JOIN rounds r ON r.id = v.round_id JOIN residents res ON res.id = v.resident_id
        WHERE c.public_id = $1`,
      [campaignId],
    );
  const issuedOf = async (roundId: string) => Number((await rig.db.query('SELECT issued FROM rounds WHERE public_id = $1', [roundId]))[0].issued);
  /** Residents split by the bucket they belong to in a campaign of K. */
  const byBucket = (residents: TestResident[]) => Array.from({ length: K }, (_, k) => residents.filter((r) => bucketOf(r.id, K) === k));

  /**
   * What holds whatever the fault, in Postgres and in the answers: no round past its quantity,
   * nobody past `limit` (and their slots 1..limit), every acknowledged voucher in Postgres as
   * its holder's, every 5xx a 503 saying come back. Returns the campaign's vouchers.
   */
  const expectInvariants = async (campaign: TestCampaign, quantities: number[], limit: number, acks: Array<GrabAnswer & { round?: string }>, seen: GrabAnswer[]) => {
    const rows = await rowsOf(campaign.id);
    for (const [i, round] of campaign.rounds.entries()) {
      const count = rows.filter((row) => row.round === round).length;
      expect(count).toBeLessThanOrEqual(quantities[i]);
      expect(await issuedOf(round)).toBe(count);
    }
    const perPerson = new Map<string, number>();
    for (const row of rows) perPerson.set(row.resident, (perPerson.get(row.resident) ?? 0) + 1);
    expect([...perPerson.values()].filter((n) => n > limit)).toEqual([]);
    expect(rows.filter((row) => row.person_seq < 1 || row.person_seq > limit)).toEqual([]);
    const held = new Map(rows.map((row) => [row.public_id, row]));
    const acked = acks.filter((a) => a.status === 201 || a.status === 200);
    expect(acked.filter((a) => held.get(a.body.id as string)?.resident !== a.resident || (a.round && held.get(a.body.id as string)?.round !== a.round))).toEqual([]);
    expect(seen.filter((a) => a.status >= 500 && (a.status !== 503 || a.retryAfter !== '1' || !COME_BACK.includes(a.body.code as string))).map(outcome)).toEqual([]);
    return rows;
  };

  /** Once recovered: each round's stock over the buckets plus its vouchers in Postgres is its quantity, and no reservation is left pending. */
  const expectSettled = async (campaign: TestCampaign, quantities: number[]) => {
    const rows = await rowsOf(campaign.id);
    const books = await Promise.all(campaign.rounds.map(async (round) => (await rig.stockOf(campaign.id, round, K)) + rows.filter((row) => row.round === round).length));
    expect(books).toEqual(quantities);
    expect(await pendingOf(campaign.id)).toEqual(Array(K).fill(0));
    // Every bucket's budget still covers its stock, the sum of them what is left (no return to the pool here).
    const stock = (await Promise.all(campaign.rounds.map((round) => rig.stockOf(campaign.id, round, K)))).reduce((a, b) => a + b, 0);
    expect(await budgetOf(campaign.id)).toBe(stock * FACE);
  };

  beforeAll(async () => {
    // Its own database: the watch's tick, called below, visits every campaign of it.
    dropDatabase = await isolateThisFile({ ownKeyPrefix: false });
    cutter = await new PgCutter().open();
    rig = await new GrabRig({ GRAB_LIMIT_PER_PERSON: '0', DATABASE_URL: cutter.databaseUrl() }).start();
    loader = rig.app.get(AdmissionLoader);
    watch = rig.app.get(AdmissionWatch);
    appRedis = rig.app.get<Redis>(REDIS);
    // No background watch: each test calls what it would do, so only the fault's own path is tried.
    watch.onApplicationShutdown();
  });

  afterAll(async () => {
    await rig.stop();
    await cutter.close();
    await dropDatabase();
  });

  it('every bucket back from a snapshot taken mid-rush: Postgres refuses what the old counts admit, the state is rebuilt, nothing oversold or lost', async () => {
    const quantities = [150, 150];
    const campaign = await createActiveCampaign(rig.app, { quantity: quantities, stockBuckets: K, faceValueFen: FACE });
    const [first, second] = campaign.rounds;
    const residents = await createVerifiedResidents(rig.db, 500);
    await loader.ensureLoaded(campaign.id, K);
    const generation = await generationOf(campaign.id);
    // Everyone grabs the first round, then everyone the second: at a limit of one, a holder of the first is refused the second.
    const rush = new GrabRush(rig, [first, second].flatMap((round) => residents.map((resident) => ({ resident, round }))), { clients: 50 });
    const running = rush.run();
    // Each bucket on its own (as each shard of a Cluster snapshots on its own), early in the rush:
    // paused for it, since a busy machine's rush can reserve the whole round between an answer
    // counted here and a snapshot taken while 50 clients run (then the old counts hold no stock).
    // Paused at the 40th answer itself: at most 89 grabs are answered by then.
    await rush.pauseWhenAnswered(40);
    const buckets = `${rig.prefix}{cmp:${campaign.id}:b*`;
    const snapshot = (await Promise.all(Array.from({ length: K }, (_, k) => takeSnapshotAtOnce(rig.redis, `${tagOf(campaign.id, k)}*`)))).flat();
    expect(await issuedOf(first)).toBeLessThan(100);
    rush.resume();
    await rush.whenAnswered(250);
    // Redis restarts from it (no grab answered meanwhile), same generation: the first round (nearly) sold out in Postgres, not in Redis.
    await rush.pause();
    await restoreSnapshot(rig.redis, buckets, snapshot);
    const issued = await issuedOf(first);
    expect(issued).toBeGreaterThan(140);
    expect(await rig.stockOf(campaign.id, first, K)).toBeGreaterThan(150 - issued);
    rush.resume();
    const answers = await running;

    const rows = await expectInvariants(campaign, quantities, 1, answers, rush.seen);
    // Nothing oversold, nothing under-sold: the rebuild counted from Postgres, the rush took the rest.
    expect(rows).toHaveLength(300);
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(300);
    expect(new Set(created.map((a) => a.body.id))).toEqual(new Set(rows.map((row) => row.public_id)));
    expect(answers.filter((a) => a.status !== 201).map(outcome).filter((o) => o !== '409 SOLD_OUT' && o !== '409 ALREADY_CLAIMED')).toEqual([]);
    // The old counts admitted grabs of the sold-out round: Postgres refused them (503, try again) and the state was rebuilt.
    expect(rush.seen.filter((a) => a.body.code === 'ADMISSION_REBUILDING').length).toBeGreaterThan(0);
    expect(await generationOf(campaign.id)).toBeGreaterThan(generation);
    expect(new Set(await markers(campaign.id))).toEqual(new Set([String(await generationOf(campaign.id))]));
    expect(await rig.app.get(StaleStateCheck).check(campaign.id)).toBe(false);
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await expectSettled(campaign, quantities);
  }, 60_000);

  it('one bucket alone back from an old snapshot: the stale check sums the buckets, finds it and rebuilds every bucket exactly', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [80], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const groups = byBucket(await createVerifiedResidents(rig.db, 240));
    await loader.ensureLoaded(campaign.id, K);
    const snapshot = await takeSnapshot(rig.redis, `${tagOf(campaign.id, 1)}*`);
    // Ten of bucket 1's residents and thirty others: bucket 1 gives ten of its twenty, and lends to none or some.
    const holders = [...groups[1].slice(0, 10), ...groups[0].slice(0, 10), ...groups[2].slice(0, 10), ...groups[3].slice(0, 10)];
    const first = await Promise.all(holders.map((r) => rig.grab(r, round)));
    expect(first.map(outcome)).toEqual(Array(40).fill('201'));
    expect(await rig.stockOf(campaign.id, round, K)).toBe(40);
    const generation = await markers(campaign.id);

    await restoreSnapshot(rig.redis, `${tagOf(campaign.id, 1)}*`, snapshot);
    expect(await rig.stockOf(campaign.id, round, K)).toBeGreaterThan(40); // it would admit more than Postgres has left
    expect(await rig.app.get(StaleStateCheck).check(campaign.id)).toBe(true);
    expect(await markers(campaign.id)).toEqual(generation.map((g) => String(Number(g) + 1)));
    expect(await rig.sharesOf(campaign.id, round, K)).toEqual([10, 10, 10, 10]);
    expect(await budgetOf(campaign.id)).toBe(40 * FACE);
    // Bucket 1's holders' records came back with it: their retry gives the voucher they hold, never a second.
    const again = await Promise.all(holders.slice(0, 10).map((r) => rig.grab(r, round)));
    expect(again.map((a) => [a.status, a.body.id])).toEqual(first.slice(0, 10).map((a) => [200, a.body.id]));

    const rush = new GrabRush(rig, groups.flatMap((group) => group.slice(10, 30)).map((resident) => ({ resident, round })), { clients: 40 });
    const answers = await rush.run();
    expect(answers.filter((a) => a.status === 201)).toHaveLength(40);
    expect(answers.filter((a) => a.status !== 201).map(outcome)).toEqual(Array(40).fill('409 SOLD_OUT'));
    const rows = await expectInvariants(campaign, [80], 1, [...first, ...again, ...answers], rush.seen);
    expect(rows).toHaveLength(80);
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await expectSettled(campaign, [80]);
  });

  it('one bucket back from a snapshot of the generation before, holding less stock than now: its grabs are fenced out, and that rebuilds', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [40], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const groups = byBucket(await createVerifiedResidents(rig.db, 120));
    await loader.ensureLoaded(campaign.id, K);
    for (const resident of groups[1].slice(0, 8)) expect((await rig.grab(resident, round)).status).toBe(201);
    const snapshot = await takeSnapshot(rig.redis, `${tagOf(campaign.id, 1)}*`);
    // A rebuild (Redis lost data elsewhere, say) deals the 32 left evenly; then bucket 1's shard comes back from before it.
    expect(await loader.rebuild(campaign.id)).toBe(true);
    const [generation] = await markers(campaign.id);
    expect(await rig.sharesOf(campaign.id, round, K)).toEqual([8, 8, 8, 8]);
    await restoreSnapshot(rig.redis, `${tagOf(campaign.id, 1)}*`, snapshot);
    expect(await markers(campaign.id)).toEqual([generation, generation, String(Number(generation) - 1), generation, generation]);
    // Less stock than the truth (2 where 8 are): nothing for the stale check to see; every marker there: nothing for ensureLoaded.
    expect(await rig.sharesOf(campaign.id, round, K)).toEqual([8, 2, 8, 8]);
    expect(await rig.app.get(StaleStateCheck).check(campaign.id)).toBe(false);
    await watch.tick();
    // Bucket 1's grabs reserve under the old generation, which the writer fences out (503): the first of them has the state rebuilt.
    const rush = new GrabRush(rig, groups[1].slice(8, 11).map((resident) => ({ resident, round })), { clients: 3, triesEach: 30 });
    const answers = await rush.run();
    expect(answers.map(outcome)).toEqual(['201', '201', '201']);
    expect(rush.seen.filter((a) => a.body.code === 'ADMISSION_REBUILDING').length).toBeGreaterThan(0);
    expect(new Set(await markers(campaign.id)).size).toBe(1);
    const rows = await expectInvariants(campaign, [40], 1, answers, rush.seen);
    expect(rows).toHaveLength(11);
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await expectSettled(campaign, [40]);
  });

  it('Postgres cut in rounds mid-rush: 503 with Retry-After meanwhile, then vouchers again; nothing stranded once swept, every voucher left can be had', async () => {
    const quantities = [600, 300];
    const campaign = await createActiveCampaign(rig.app, { quantity: quantities, stockBuckets: K, faceValueFen: FACE });
    const [first, second] = campaign.rounds;
    const residents = await createVerifiedResidents(rig.db, 1200);
    await loader.ensureLoaded(campaign.id, K);
    const pressed: Array<GrabAnswer & { round: string }> = [];
    let cutting = true;
    // 150 clients press the first round for random residents (a holder pressing again reads their voucher) while Postgres is cut.
    const press = async () => {
      while (cutting) pressed.push({ ...(await rig.grab(residents[Math.floor(Math.random() * residents.length)], first)), round: first });
    };
    const clients = Array.from({ length: 150 }, press);
    while (pressed.length < 150) await sleep(5);
    await cutter.cutInRounds(10, 200);
    cutting = false;
    await Promise.all(clients);
    expect(cutter.rounds.filter((n) => n > 0).length).toBeGreaterThan(5);
    const unavailable = pressed.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.filter((a) => a.retryAfter !== '1').map(outcome)).toEqual([]);

    // Then every resident tries the second round, trying 503s again: the pools are back, it sells out.
    const rush = new GrabRush(rig, residents.map((resident) => ({ resident, round: second })), { clients: 100 });
    const answers = await rush.run();
    expect(answers.filter((a) => a.status === 201)).toHaveLength(300);
    await expectInvariants(campaign, quantities, 1, [...pressed, ...answers], [...pressed, ...rush.seen]);

    // Every grab a cut failed gave its reservation back to its bucket at once: none is left pending without its row.
    const held = new Set((await rowsOf(campaign.id)).map((row) => row.public_id));
    const pending = await Promise.all(stateIdsOf(campaign.id, K).map((stateId) => rig.redis.zrange(rig.prefix + admissionKeys(stateId).pending, 0, -1)));
    expect(pending.flat().filter((member) => !held.has(member.split('|')[2]))).toEqual([]);
    // The sweep settles any left all the same (each to its bucket); the watch's tick puts right whatever else.
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await watch.tick();
    await expectSettled(campaign, quantities);
    // And what is left of the first round is there to be had, exactly.
    const left = await rig.stockOf(campaign.id, first, K);
    const late = await createVerifiedResidents(rig.db, left + 20);
    const mop = new GrabRush(rig, late.map((resident) => ({ resident, round: first })), { clients: 40 });
    const mopped = await mop.run();
    expect(mopped.filter((a) => a.status === 201)).toHaveLength(left);
    const rows = await expectInvariants(campaign, quantities, 1, [...pressed, ...answers, ...mopped], mop.seen);
    expect(rows).toHaveLength(900);
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await expectSettled(campaign, quantities);
  }, 60_000);

  it('one bucket’s state lost mid-rush: its grabs wait for the rebuild, the others go on, nothing oversold or lost', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [600], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(rig.db, 900);
    await loader.ensureLoaded(campaign.id, K);
    const generation = await generationOf(campaign.id);
    const rush = new GrabRush(rig, residents.map((resident) => ({ resident, round })), { clients: 60 });
    const running = rush.run();
    await rush.whenAnswered(150);
    // Bucket 2's shard restarts empty, grabs in flight.
    await loseStateAtOnce(rig.redis, tagOf(campaign.id, 2));
    const answers = await running;

    const rows = await expectInvariants(campaign, [600], 1, answers, rush.seen);
    expect(rows).toHaveLength(600);
    expect(new Set(rows.map((row) => row.resident)).size).toBe(600);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(600);
    expect(answers.filter((a) => a.status !== 201).map(outcome)).toEqual(Array(300).fill('409 SOLD_OUT'));
    // Bucket 2's residents found it not loaded and were told to come back while every bucket was rebuilt from Postgres.
    expect(rush.seen.filter((a) => a.body.code === 'ADMISSION_REBUILDING').length).toBeGreaterThan(0);
    expect(await generationOf(campaign.id)).toBeGreaterThan(generation);
    expect(new Set(await markers(campaign.id))).toEqual(new Set([String(await generationOf(campaign.id))]));
    expect(await rig.app.get(StaleStateCheck).check(campaign.id)).toBe(false);
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await expectSettled(campaign, [600]);
    // A holder of bucket 2 gets their own voucher back from the rebuilt records.
    const holder = rows.find((row) => bucketOf(row.resident, K) === 2) as HeldRow;
    const again = await rig.grab(residents.find((r) => r.id === holder.resident) as TestResident, round);
    expect([again.status, again.body.id]).toEqual([200, holder.public_id]);
  }, 60_000);

  it('a move cut between bucket-take and bucket-give under-sells until the watch sees the shortfall persist and rebuilds, which restores the stock exactly; a late give is dropped', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [40], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    await loader.ensureLoaded(campaign.id, K);
    const [generation] = await markers(campaign.id);
    // A process took half of bucket 2's stock for bucket 0, and died before the give.
    const donor = admissionKeys(stateIdOf(campaign.id, 2, K));
    const taken = (await callScript(appRedis, 'bucketTake', [donor.loaded, donor.meta, donor.round(round)], [generation as string, 5, FACE, 0])) as number[];
    expect(taken.map(Number)).toEqual([5, 5 * FACE]);
    expect(await rig.sharesOf(campaign.id, round, K)).toEqual([10, 10, 5, 10]);
    expect(await budgetOf(campaign.id)).toBe(35 * FACE);

    // Meanwhile the round under-sells: 35 given, then sold out, five short; never more.
    const residents = await createVerifiedResidents(rig.db, 60);
    const rush = new GrabRush(rig, residents.slice(0, 50).map((resident) => ({ resident, round })), { clients: 25 });
    const answers = await rush.run();
    expect(answers.filter((a) => a.status === 201)).toHaveLength(35);
    expect(answers.filter((a) => a.status !== 201).map(outcome)).toEqual(Array(15).fill('409 SOLD_OUT'));
    expect(await rig.stockOf(campaign.id, round, K)).toBe(0);

    // Nobody rebuilds by hand: the watch's stale check sees the round five short of Postgres at
    // LOST_CHECKS ticks in a row (seconds apart in a live process, longer than any move) and then
    // rebuilds from Postgres: the five are back, split among the buckets, with their budget.
    for (let tick = 1; tick < LOST_CHECKS; tick++) {
      await watch.tick();
      expect(await rig.stockOf(campaign.id, round, K)).toBe(0);
    }
    await watch.tick();
    expect(await rig.sharesOf(campaign.id, round, K)).toEqual([2, 1, 1, 1]);
    expect(await budgetOf(campaign.id)).toBe(5 * FACE);
    // The dead process's give, had it come late, is dropped: the rebuild's counts are already right.
    const receiver = admissionKeys(stateIdOf(campaign.id, 0, K));
    expect(Number(await callScript(appRedis, 'bucketGive', [receiver.loaded, receiver.meta, receiver.round(round)], [generation as string, 5, 5 * FACE]))).toBe(0);
    expect(await rig.stockOf(campaign.id, round, K)).toBe(5);

    const lateRush = new GrabRush(rig, residents.slice(50).map((resident) => ({ resident, round })), { clients: 10 });
    const late = await lateRush.run();
    expect(late.filter((a) => a.status === 201)).toHaveLength(5);
    const rows = await expectInvariants(campaign, [40], 1, [...answers, ...late], [...rush.seen, ...lateRush.seen]);
    expect(rows).toHaveLength(40);
    await watch.sweep(campaign.id, Date.now() + 1_000, K);
    await expectSettled(campaign, [40]);
  });
});
