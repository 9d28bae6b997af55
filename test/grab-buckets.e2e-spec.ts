import { Cluster } from 'ioredis';
import request from 'supertest';
import { newPublicId } from '@vouchers/common';
import { AdmissionLoader } from '../apps/issuance/src/claims/admission-loader';
import { AdmissionWatch } from '../apps/issuance/src/claims/admission-watch';
import { AdmissionStore } from '../apps/issuance/src/claims/admission.store';
import { LOST_CHECKS, StaleStateCheck } from '../apps/issuance/src/claims/stale-state-check';
import { admissionKeys, bucketOf, stateIdOf, stateIdsOf } from '../apps/issuance/src/claims/admission-keys';
import { ReturnStock } from '../apps/issuance/src/pool-returns/return-stock';
import { ReturnToPool } from '../apps/issuance/src/pool-returns/return-to-pool';
import { createActiveCampaign, officialToken } from './support/campaigns';
import { GrabAnswer, GrabRig } from './support/grab-rig';
import { deleteKeys, keysMatching } from './support/redis-keys';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile } from './support/settlement';
import { bearer } from './support/tokens';

const K = 4;
const FACE = 1000;
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Hot-stock buckets (issue 21, ADMISSION.md) against real Postgres and Redis: a round's stock
 * split into K = 4 admission states on four slots, each resident in one of them for the whole
 * campaign. Nothing oversold, nobody past the limit, a dry bucket borrows rather than answering
 * sold out, and the rebuild, the sweep and the return to the pool see every bucket.
 */
describe('hot-stock buckets', () => {
  const rig = new GrabRig();
  let dropDatabase: () => Promise<void>;
  const key = (campaignId: string, bucket: number, rest: string) => `${rig.prefix}{cmp:${stateIdOf(campaignId, bucket, K)}}:${rest}`;
  /** Each bucket's stock of the round, as Redis holds it. */
  const shares = async (campaignId: string, roundId: string) =>
    Promise.all(Array.from({ length: K }, async (_, k) => Number(await rig.redis.hget(key(campaignId, k, `round:${roundId}`), 'stock'))));
  const stockOf = async (campaignId: string, roundId: string) => (await shares(campaignId, roundId)).reduce((a, b) => a + b, 0);
  const budgetOf = async (campaignId: string) =>
    (await Promise.all(Array.from({ length: K }, async (_, k) => Number(await rig.redis.hget(key(campaignId, k, 'meta'), 'budget'))))).reduce((a, b) => a + b, 0);
  /** Residents who all belong to bucket `bucket` of a campaign of K. */
  const inBucket = async (bucket: number, count: number): Promise<TestResident[]> => {
    // Ids are random: make residents until enough fall in the bucket (one in K does).
    const found: TestResident[] = [];
    while (found.length < count) found.push(...(await createVerifiedResidents(rig.db, count * K * 3)).filter((r) => bucketOf(r.id, K) === bucket));
    return found.slice(0, count);
  };
  /** Grabs until the answer is not a 503 (the state being rebuilt, or vouchers moving between buckets). */
  const grabLoaded = async (resident: TestResident, roundId: string): Promise<GrabAnswer> => {
    for (let i = 0; ; i++) {
      const answer = await rig.grab(resident, roundId);
      if (answer.status !== 503 || i === 100) return answer;
      await sleep(50);
    }
  };

  beforeAll(async () => {
    dropDatabase = await isolateThisFile({ ownKeyPrefix: false });
    await rig.start();
  });

  afterAll(async () => {
    await rig.stop();
    await dropDatabase();
  });

  it('a rush in waves: exactly the stock given, nobody past the limit, and no sold out while more than K remain', async () => {
    // Two rounds of 300 at a limit of one a person: the limit holds across rounds as well as buckets.
    const campaign = await createActiveCampaign(rig.app, { quantity: [300, 301], stockBuckets: K, faceValueFen: FACE });
    const residents = await createVerifiedResidents(rig.db, 800);
    const waves: Array<Array<GrabAnswer & { round: string }>> = [];
    for (let w = 0; w < 8; w++) {
      const wave = residents.slice(w * 100, (w + 1) * 100);
      // Everyone grabs both rounds at once, and some press again: 220 grabs a wave, 1,760 in all for 601 vouchers.
      const crowd = [...wave.flatMap((r) => campaign.rounds.map((round) => ({ r, round }))), ...wave.slice(0, 20).map((r) => ({ r, round: campaign.rounds[0] }))];
      // As a real client does, a 503 (the state rebuilt, or vouchers moving between buckets) is tried again.
      waves.push(await Promise.all(crowd.map(async ({ r, round }) => ({ ...(await grabLoaded(r, round)), round }))));
      // Between waves every bucket's budget still covers its stock: moves take the vouchers' worth along, no more, no less.
      const [a, b] = await Promise.all(campaign.rounds.map((round) => shares(campaign.id, round)));
      const budgets = await Promise.all(Array.from({ length: K }, async (_, k) => Number(await rig.redis.hget(key(campaign.id, k, 'meta'), 'budget'))));
      expect(budgets.map((budget, k) => budget - (a[k] + b[k]) * FACE)).toEqual([0, 0, 0, 0]);
    }
    const rows = [...(await rig.rowsOf(campaign.rounds[0])), ...(await rig.rowsOf(campaign.rounds[1]))];
    expect(rows).toHaveLength(601);
    expect(new Set(rows.map((row) => row.resident)).size).toBe(601);
    const answers = waves.flat();
    expect(answers.filter((a) => a.status === 201)).toHaveLength(601);
    const refused = answers.filter((a) => a.status !== 201 && a.status !== 200);
    expect(refused.filter((a) => a.status !== 409 || !['SOLD_OUT', 'ALREADY_CLAIMED'].includes(a.body.code as string))).toEqual([]);
    // A sold out in wave w is false when more than K vouchers of its round were still given in later waves.
    const falseSoldOut = waves.flatMap((wave, w) => {
      const soldOut = wave.filter((a) => a.body.code === 'SOLD_OUT');
      return soldOut.filter((a) => waves.slice(w + 1).flat().filter((later) => later.round === a.round && later.status === 201).length > K);
    });
    expect(falseSoldOut).toEqual([]);
    for (const round of campaign.rounds) expect(await stockOf(campaign.id, round)).toBe(0);
    expect(await budgetOf(campaign.id)).toBe(0);
    // No reservation left pending in any bucket once every row is in.
    await sleep(100);
    for (let k = 0; k < K; k++) expect(await rig.redis.zcard(key(campaign.id, k, 'pending'))).toBe(0);
    // The Postgres backstop refuses a voucher past the round's quantity, whatever Redis would admit.
    const [extra] = await createVerifiedResidents(rig.db, 1);
    await expect(
      rig.db.query(
        `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, status, claimed_at, expires_at)
         SELECT $1::uuid, r.campaign_id, r.id, res.id, 1, 1000, 4000, 'claimed', now(), now() + interval '1 day'
           FROM rounds r, residents res WHERE r.public_id = $2 AND res.public_id = $3`,
        [newPublicId(), campaign.rounds[0], extra.id],
      ),
    ).rejects.toThrow(/rounds_issued_check/);
  });

  it('keeps the keys of one bucket on one slot, and a bucket run dry borrows stock and budget from the others', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [8], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const crowd = await inBucket(0, 6);
    expect(await grabLoaded(crowd[0], round)).toMatchObject({ status: 201 });
    expect(await shares(campaign.id, round)).toEqual([1, 2, 2, 2]);
    // Bucket 0 held 2 and its budget 2 vouchers' worth: the other four grabs of its residents borrow.
    for (const resident of crowd.slice(1)) expect((await rig.grab(resident, round)).status).toBe(201);
    expect(await stockOf(campaign.id, round)).toBe(2);
    expect(await budgetOf(campaign.id)).toBe(2 * FACE);
    for (const resident of crowd) expect(await rig.redis.exists(key(campaign.id, 0, `person:${resident.id}`))).toBe(1);
    // The last two, wherever they are, go to whoever asks; then sold out.
    const others = await inBucket(3, 3);
    const answers = [];
    for (const resident of others) answers.push(await rig.grab(resident, round));
    expect(answers.map((a) => a.body.code ?? a.status)).toEqual([201, 201, 'SOLD_OUT']);
    expect(await rig.rowsOf(round)).toHaveLength(8);
  });

  it('spreads each campaign’s buckets over the masters: 3 buckets on a Cluster of 3 use all 3, campaign after campaign', async () => {
    // Named `<id>:b<k>` alone, 3 buckets used all 3 masters in about half the campaigns (CRC16 is linear: the names' slots differ in fixed bits).
    const buckets = 3;
    for (let i = 0; i < 6; i++) {
      const campaign = await createActiveCampaign(rig.app, { quantity: [3], stockBuckets: buckets, faceValueFen: FACE });
      await rig.app.get(AdmissionLoader).ensureLoaded(campaign.id, buckets);
      const metas = stateIdsOf(campaign.id, buckets).map((stateId) => `${rig.prefix}${admissionKeys(stateId).meta}`);
      for (const meta of metas) expect(await rig.redis.exists(meta)).toBe(1);
      if (!(rig.redis instanceof Cluster)) continue;
      // Which master holds each bucket's slot, as the Cluster itself says (CLUSTER SLOTS: first, last, master, replicas).
      const ranges = (await rig.redis.cluster('SLOTS')).map(([first, last, [host, port]]) => ({ first, last, master: `${host}:${port}` }));
      const holders = await Promise.all(
        metas.map(async (meta) => {
          const slot = Number(await rig.redis.cluster('KEYSLOT', meta));
          return ranges.find(({ first, last }) => slot >= first && slot <= last)?.master;
        }),
      );
      expect(holders.every(Boolean)).toBe(true);
      expect(new Set(holders).size).toBe(Math.min(buckets, new Set(ranges.map(({ master }) => master)).size));
    }
  });

  it('notes a sell-out over every bucket for a second: refusals meanwhile borrow nothing, stock back in another bucket is found after it', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [4], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const [abandoner] = await inBucket(3, 1);
    await rig.app.get(AdmissionLoader).ensureLoaded(campaign.id, K);
    // A reservation of bucket 3 whose process died before it wrote the row, then three grabs that sell the rest.
    const orphan = await rig.app
      .get(AdmissionStore)
      .reserve({ campaignId: campaign.id, buckets: K, roundId: round, residentId: abandoner.id, newVoucherId: newPublicId(), idempotencyKey: '' });
    expect(orphan.outcome).toBe('OK');
    for (const holder of await createVerifiedResidents(rig.db, 3)) expect((await grabLoaded(holder, round)).status).toBe(201);
    const [late] = await inBucket(1, 1);
    expect((await rig.grab(late, round)).body.code).toBe('SOLD_OUT');
    // The sweep gives the orphan's voucher back to bucket 3: within the noted second, the late resident (bucket 1) does not borrow it.
    const noted = Date.now();
    expect(await rig.app.get(AdmissionWatch).sweep(campaign.id, Date.now() + 1_000, K)).toBe(1);
    const within = await rig.grab(late, round);
    if (Date.now() - noted < 900) expect(within.body.code).toBe('SOLD_OUT');
    expect(await shares(campaign.id, round)).toEqual([0, 0, 0, 1]);
    // Once the note lapses the dry bucket borrows again, and the resident gets it.
    await sleep(1_100);
    const after = await rig.grab(late, round);
    expect([after.status, await shares(campaign.id, round)]).toEqual([201, [0, 0, 0, 0]]);
    expect(await rig.rowsOf(round)).toHaveLength(4);
  });

  it('borrows budget where the budget binds, and answers BUDGET_EXHAUSTED once no bucket has any', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [8], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const crowd = await inBucket(1, 4);
    await rig.app.get(AdmissionLoader).ensureLoaded(campaign.id, K);
    // As returns to the program could leave it: three vouchers' worth of budget in all, every fen of it in bucket 2.
    for (const k of [0, 1, 3]) await rig.redis.hset(key(campaign.id, k, 'meta'), 'budget', 0);
    await rig.redis.hset(key(campaign.id, 2, 'meta'), 'budget', 3 * FACE);
    // Bucket 1's residents: its stock with budget borrowed, then stock and budget borrowed, until the budget is gone.
    const answers = [];
    for (const resident of crowd) answers.push(await rig.grab(resident, round));
    expect(answers.map((a) => a.body.code ?? a.status)).toEqual([201, 201, 201, 'BUDGET_EXHAUSTED']);
    expect(await budgetOf(campaign.id)).toBe(0);
    expect(await stockOf(campaign.id, round)).toBe(5);
  });

  it('gives back an abandoned reservation to its bucket (the sweep reads every bucket’s pending set)', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [10], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const [resident] = await inBucket(2, 1);
    await rig.app.get(AdmissionLoader).ensureLoaded(campaign.id, K);
    // A grab admitted in Redis whose process died before it wrote the row.
    const store = rig.app.get(AdmissionStore);
    const orphan = await store.reserve({ campaignId: campaign.id, buckets: K, roundId: round, residentId: resident.id, newVoucherId: newPublicId(), idempotencyKey: '' });
    expect(orphan.outcome).toBe('OK');
    expect(await shares(campaign.id, round)).toEqual([3, 3, 1, 2]);
    expect(await rig.redis.zcard(key(campaign.id, 2, 'pending'))).toBe(1);
    // A pending reservation is no lost stock: the stale check, however often it looks, rebuilds nothing.
    for (let i = 0; i < LOST_CHECKS + 1; i++) expect(await rig.app.get(StaleStateCheck).check(campaign.id)).toBe(false);
    expect(await rig.app.get(AdmissionWatch).sweep(campaign.id, Date.now() + 1_000, K)).toBe(1);
    expect(await shares(campaign.id, round)).toEqual([3, 3, 2, 2]);
    expect(await budgetOf(campaign.id)).toBe(10 * FACE);
    expect((await rig.grab(resident, round)).status).toBe(201);
  });

  it('rebuilds every bucket from Postgres after Redis lost everything', async () => {
    const campaign = await createActiveCampaign(rig.app, { quantity: [40], stockBuckets: K, faceValueFen: FACE });
    const [round] = campaign.rounds;
    const holders = await createVerifiedResidents(rig.db, 25);
    const first = await Promise.all(holders.map((r) => rig.grab(r, round)));
    expect(first.filter((a) => a.status === 201)).toHaveLength(25);

    // Every key this app's Redis holds (its own key prefix: the Redis is shared with other test runs),
    // found on every master and deleted one at a time: on a Cluster they live on many slots.
    await deleteKeys(rig.redis, await keysMatching(rig.redis, `${rig.prefix}*`));
    // The holders get their own vouchers back, never a second; the rest of the stock goes to newcomers, and no more.
    const again = await Promise.all(holders.map((r) => grabLoaded(r, round)));
    expect(again.every((a, i) => a.status === 200 && a.body.id === first[i].body.id)).toBe(true);
    expect(await stockOf(campaign.id, round)).toBe(15);
    expect(await budgetOf(campaign.id)).toBe(15 * FACE);
    for (const holder of holders) expect(await rig.redis.exists(key(campaign.id, bucketOf(holder.id, K), `person:${holder.id}`))).toBe(1);
    const newcomers = await createVerifiedResidents(rig.db, 30);
    const late = await Promise.all(newcomers.map((r) => rig.grab(r, round)));
    expect(late.filter((a) => a.status === 201)).toHaveLength(15);
    expect(late.filter((a) => a.status !== 201).every((a) => a.body.code === 'SOLD_OUT')).toBe(true);
    expect(await rig.rowsOf(round)).toHaveLength(40);
    expect(await stockOf(campaign.id, round)).toBe(0);

    // One bucket's keys lost alone (a Cluster shard that came back empty): the watch sees its marker gone and rebuilds.
    const generation = await rig.redis.get(`${rig.prefix}{cmp:${campaign.id}}:loaded`);
    await rig.redis.del(...(await keysMatching(rig.redis, `${rig.prefix}{cmp:${stateIdOf(campaign.id, 1, K)}}:*`)));
    await rig.app.get(AdmissionWatch).tick();
    // The watch ticks every 2 s over every campaign of the database: on a busy machine a tick takes a while.
    for (let i = 0; i < 300 && (await rig.redis.exists(key(campaign.id, 1, 'loaded'))) === 0; i++) await sleep(100);
    expect(Number(await rig.redis.get(key(campaign.id, 1, 'loaded')))).toBeGreaterThan(Number(generation));
    expect(await shares(campaign.id, round)).toEqual([0, 0, 0, 0]);
  });

  it('returns a closed round’s unclaimed stock into a bucketed round, once, split among its buckets', async () => {
    const windows = [{ opensAt: new Date(Date.now() - 3 * HOUR), closesAt: new Date(Date.now() - HOUR) }, { opensAt: new Date(Date.now() - 60_000) }];
    const campaign = await createActiveCampaign(rig.app, { quantity: [6, 4], stockBuckets: K, faceValueFen: FACE, returnPolicy: 'next_round', windows });
    await rig.app.get(AdmissionLoader).ensureLoaded(campaign.id, K);
    const job = rig.app.get(ReturnToPool);
    const { recorded } = await job.run();
    expect(recorded.find((r) => r.campaignId === campaign.id)).toMatchObject({ source: 'round_close', destination: 'next_round', vouchers: 6 });
    expect(await shares(campaign.id, campaign.rounds[1])).toEqual([3, 3, 2, 2]);
    expect(await stockOf(campaign.id, campaign.rounds[0])).toBe(0);
    // Run again, and the Redis step applied again by hand (a job that crashed before marking it): nothing added twice.
    await job.run();
    const [done] = await rig.db.query(`SELECT p.id, p.public_id FROM pool_returns p JOIN campaigns c ON c.id = p.campaign_id WHERE c.public_id = $1`, [campaign.id]);
    const again = await rig.app.get(ReturnStock).apply({
      id: done.id,
      publicId: done.public_id,
      campaignPublicId: campaign.id,
      sourceRoundPublicId: campaign.rounds[0],
      targetRoundPublicId: campaign.rounds[1],
      redisStock: 6,
      redisBudgetFen: '0',
      sourceStock: -6,
      buckets: K,
    });
    expect(again).toBe('ALREADY');
    expect(await stockOf(campaign.id, campaign.rounds[1])).toBe(10);
    const crowd = await createVerifiedResidents(rig.db, 14);
    const answers = await Promise.all(crowd.map((r) => rig.grab(r, campaign.rounds[1])));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(await rig.rowsOf(campaign.rounds[1])).toHaveLength(10);
    // A rebuild counts the return from Postgres, once.
    await rig.app.get(AdmissionLoader).rebuild(campaign.id);
    expect(await stockOf(campaign.id, campaign.rounds[1])).toBe(0);
  });

  it('takes stockBuckets per round, the same for a whole campaign, and shows it in the round’s answers', async () => {
    const token = bearer(officialToken());
    const body = (buckets: number[]) => ({
      name: 'buckets',
      categories: ['dining'],
      districts: [],
      budgetFen: 10 * FACE,
      cityShareBp: 5000,
      validityDays: 7,
      perPersonLimit: 1,
      voucherTypes: [
        { name: '满40减10', faceValueFen: FACE, thresholdFen: 4 * FACE, rounds: buckets.map((stockBuckets) => ({ opensAt: new Date(Date.now() + HOUR).toISOString(), quantity: 5, stockBuckets })) },
      ],
    });
    const differ = await request(rig.app.getHttpServer()).post('/v1/admin/campaigns').set(token).send(body([4, 2]));
    expect([differ.status, differ.body.code]).toEqual([400, 'STOCK_BUCKETS_DIFFER']);
    const tooMany = await request(rig.app.getHttpServer()).post('/v1/admin/campaigns').set(token).send(body([65, 65]));
    expect(tooMany.status).toBe(400);
    const created = await request(rig.app.getHttpServer()).post('/v1/admin/campaigns').set(token).send(body([4, 4])).expect(201);
    const read = await request(rig.app.getHttpServer()).get(`/v1/admin/campaigns/${created.body.id}`).set(token).expect(200);
    expect(read.body.voucherTypes[0].rounds.map((r: { stockBuckets: number }) => r.stockBuckets)).toEqual([4, 4]);

    const plain = await createActiveCampaign(rig.app, { quantity: [3] });
    const listing = await request(rig.app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200);
    const listed = listing.body.items.find((c: { id: string }) => c.id === plain.id);
    expect(listed.voucherTypes[0].rounds[0]).toMatchObject({ stockBuckets: 1, remaining: 3 });
    // K = 1 keeps the keys of before: one state under {cmp:<id>}.
    expect(await rig.redis.exists(`${rig.prefix}{cmp:${plain.id}}:round:${plain.rounds[0]}`)).toBe(1);
    expect(await keysMatching(rig.redis, `${rig.prefix}{cmp:${plain.id}:b*`)).toEqual([]);
  });
});
