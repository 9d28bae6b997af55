import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from '@vouchers/redis';
import { Client } from 'pg';
import { Cluster } from 'ioredis';
import { DataSource } from 'typeorm';
import { AdmissionStore } from '../apps/issuance/src/claims/admission.store';
import { AdmissionWatch } from '../apps/issuance/src/claims/admission-watch';
import { createActiveCampaign } from './support/campaigns';
import { GrabAnswer, GrabRig } from './support/grab-rig';
import { waitUntilBlockedBy } from './support/database';
import { createVerifiedResidents, TestResident } from './support/residents';
import { keysMatching } from './support/redis-keys';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What happens to the grab when Redis loses its data, Postgres refuses writes, or a process dies. */
describe('the grab under faults', () => {
  const rig = new GrabRig();
  const grab = rig.grab.bind(rig);
  const rowsOf = rig.rowsOf.bind(rig);
  const stockOf = rig.stockOf.bind(rig);
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: Redis;
  const prefix = process.env.REDIS_KEY_PREFIX as string;

  /** Every 503 the retrying client below was given, as code and Retry-After. */
  const unavailable: Array<[string | undefined, string | null]> = [];

  /** A client that retries 503s (as the app does, after Retry-After) until it gets a final answer. */
  const grabUntilAnswered = async (resident: TestResident, roundId: string): Promise<GrabAnswer> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const answer = await grab(resident, roundId);
      if (answer.status !== 503) return answer;
      unavailable.push([answer.body.code, answer.retryAfter]);
      await sleep(100);
    }
    throw new Error('still 503 after 100 tries');
  };

  /** Loses every key of one campaign, as a Redis restart without persistence would. */
  const loseCampaignState = async (campaignId: string) => {
    const keys = await keysMatching(redis, `${prefix}{cmp:${campaignId}}:*`);
    if (keys.length > 0) await redis.del(...keys);
  };

  /**
   * Holds the campaign's admission row (until the locker's transaction ends): its claim inserts,
   * which take it FOR SHARE, wait and then fail at the lock timeout. Other campaigns go on.
   */
  const lockAdmission = (locker: Client, campaignId: string) =>
    locker.query(
      'SELECT 1 FROM campaign_admission WHERE campaign_id = (SELECT id FROM campaigns WHERE public_id = $1) FOR UPDATE',
      [campaignId],
    );

  beforeAll(async () => {
    ({ app, db, redis } = await rig.start());
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('loses no acknowledged claim and oversells nothing when Redis loses its data mid-rush', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [600] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 1000);
    let answered = 0;
    const firstWave = residents.slice(0, 500).map((resident) =>
      grabUntilAnswered(resident, round).then((answer) => {
        answered += 1;
        return answer;
      }),
    );
    while (answered < 100) await sleep(5);
    await loseCampaignState(campaign.id);
    const secondWave = residents.slice(500).map((resident) => grabUntilAnswered(resident, round));
    const answers = await Promise.all([...firstWave, ...secondWave]);

    const rows = await rowsOf(round);
    const inPostgres = new Map(rows.map((row) => [row.public_id, row.resident]));
    const acknowledged = answers.filter((a) => a.status === 201 || a.status === 200);
    for (const ack of acknowledged) expect(inPostgres.get(ack.body.id as string)).toBe(ack.resident);
    expect(rows).toHaveLength(600);
    expect(new Set(rows.map((row) => row.resident)).size).toBe(600);
    expect(answers.filter((a) => !acknowledged.includes(a)).every((a) => a.body.code === 'SOLD_OUT')).toBe(true);
    expect(await stockOf(campaign.id, round)).toBe(0);
    // While the state was missing, grabs were told to come back, not refused or failed.
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every(([code, retryAfter]) => code === 'ADMISSION_REBUILDING' && retryAfter === '1')).toBe(true);
    const [{ generation }] = await db.query(
      'SELECT a.generation FROM campaign_admission a JOIN campaigns c ON c.id = a.campaign_id WHERE c.public_id = $1',
      [campaign.id],
    );
    expect(Number(generation)).toBeGreaterThan(1); // the state was rebuilt from Postgres

    // After the rebuild a holder's retry still finds their voucher, not a second one.
    const holder = residents.find((r) => r.id === rows[0].resident) as TestResident;
    const again = await grab(holder, round);
    expect([again.status, again.body.id]).toEqual([200, rows[0].public_id]);
  });

  it('gives the reservation back when the insert fails (its lock held past the timeout)', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [30] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 10);
    const locker = new Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await lockAdmission(locker, campaign.id);
      const answers = await Promise.all(residents.map((resident) => grab(resident, round)));
      expect(answers.every((a) => a.status === 503 && a.body.code === 'CLAIM_NOT_SAVED')).toBe(true);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(await rowsOf(round)).toHaveLength(0);
    expect(await stockOf(campaign.id, round)).toBe(30);
    const retried = await Promise.all(residents.map((resident) => grab(resident, round)));
    expect(retried.every((a) => a.status === 201)).toBe(true);
    expect(await stockOf(campaign.id, round)).toBe(30 - (await rowsOf(round)).length);
  });

  it('tells a retry whose first grab is still being saved to come back, then gives it that voucher', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [5] });
    const [round] = campaign.rounds;
    const [resident] = await createVerifiedResidents(db, 1);
    const locker = new Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    let first: Promise<GrabAnswer>;
    try {
      // The insert waits for the campaign's admission row; reads of vouchers do not.
      await locker.query('BEGIN');
      await lockAdmission(locker, campaign.id);
      first = grab(resident, round);
      await waitUntilBlockedBy(db, locker);
      const retry = await grab(resident, round);
      expect([retry.status, retry.body.code, retry.retryAfter]).toEqual([503, 'CLAIM_IN_PROGRESS', '1']);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const saved = await first;
    expect(saved.status).toBe(201);
    const again = await grab(resident, round);
    expect([again.status, again.body.id]).toEqual([200, saved.body.id]);
    expect(await rowsOf(round)).toHaveLength(1);
  });

  it('keeps admitting after Redis forgets its scripts (SCRIPT FLUSH, on every master of a Cluster)', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [5] });
    const [round] = campaign.rounds;
    const [before, after] = await createVerifiedResidents(db, 2);
    expect((await grab(before, round)).status).toBe(201);
    await Promise.all((redis instanceof Cluster ? redis.nodes('master') : [redis]).map((node) => node.script('FLUSH')));
    expect((await grab(after, round)).status).toBe(201);
    expect(await stockOf(campaign.id, round)).toBe(3);
  });

  it('sweeps reservations a crashed process left behind, and only those', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [5] });
    const [round] = campaign.rounds;
    const [crashed, lucky] = await createVerifiedResidents(db, 2);
    const store = app.get(AdmissionStore);
    // A process reserved for `crashed`, then died before its insert.
    const orphan = await store.reserve({ campaignId: campaign.id, roundId: round, residentId: crashed.id, newVoucherId: '01900000-0000-7000-8000-00000000beef', idempotencyKey: '' });
    expect(orphan.outcome).toBe('OK');
    // Another committed its row, then died before trimming its pending entry.
    const saved = await grab(lucky, round);
    expect(saved.status).toBe(201);
    await redis.zadd(`${prefix}{cmp:${campaign.id}}:pending`, 1, `${round}|${lucky.id}|${saved.body.id}|1|`);
    expect(await stockOf(campaign.id, round)).toBe(3);

    const released = await app.get(AdmissionWatch).sweep(campaign.id, Date.now() + 1_000);
    expect(released).toBe(1);
    expect(await stockOf(campaign.id, round)).toBe(4);
    expect(await redis.zcard(`${prefix}{cmp:${campaign.id}}:pending`)).toBe(0);
    expect((await grab(crashed, round)).status).toBe(201);
    expect(await rowsOf(round)).toHaveLength(2);
  });

  it('shows each resident only their own vouchers', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [5] });
    const [alice, bob] = await createVerifiedResidents(db, 2);
    const mine = await grab(alice, campaign.rounds[0]);
    await grab(bob, campaign.rounds[0]);
    const list = async (resident: TestResident) =>
      (await (await fetch(`${rig.base}/v1/me/vouchers`, { headers: { authorization: `Bearer ${resident.token}` } })).json()) as {
        items: Array<{ id: string; faceValueFen: number; thresholdFen: number; status: string; expiresAt: string }>;
      };
    const alices = await list(alice);
    expect(alices.items.map((v) => v.id)).toEqual([mine.body.id]);
    expect(alices.items[0]).toMatchObject({ faceValueFen: 1000, thresholdFen: 4000, status: 'claimed' });
    expect((await list(bob)).items.map((v) => v.id)).not.toContain(mine.body.id);
  });

  it('lists a claimed voucher past its expiry as expired, and finds it by that status', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [5] });
    const [carol] = await createVerifiedResidents(db, 1);
    const fresh = await grab(carol, campaign.rounds[0]);
    await db.query(`UPDATE vouchers SET expires_at = now() - interval '1 minute' WHERE public_id = $1`, [fresh.body.id]);
    const list = async (query: string) =>
      ((await (await fetch(`${rig.base}/v1/me/vouchers${query}`, { headers: { authorization: `Bearer ${carol.token}` } })).json()) as {
        items: Array<{ id: string; status: string }>;
      }).items;
    expect(await list('')).toEqual([expect.objectContaining({ id: fresh.body.id, status: 'expired' })]);
    expect((await list('?status=expired')).map((v) => v.id)).toEqual([fresh.body.id]);
    expect(await list('?status=claimed')).toEqual([]);
  });
});
