import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { newPublicId } from '@vouchers/common';
import { callScript, REDIS, Redis } from '@vouchers/redis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { admissionKeys } from '../apps/issuance/src/claims/admission-keys';
import { AdmissionWatch } from '../apps/issuance/src/claims/admission-watch';
import { claimConnectionName, lifeKey } from '../apps/issuance/src/claims/process-life';
import { bootApp } from './support/apps';
import { createActiveCampaign } from './support/campaigns';
import { GrabRig } from './support/grab-rig';
import { createVerifiedResidents, TestResident } from './support/residents';
import { isolateThisFile } from './support/settlement';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A process that dies between reserving and writing leaves orphans (DESIGN §4.8): each
 * reservation names its maker's life, and once that life is over (no heartbeat, no connection
 * left in Postgres) any process settles them at its next pass, a restarted one at its start,
 * instead of after the sweeper's 30 s.
 */
describe('reservations of a process that died', () => {
  const rig = new GrabRig();
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: Redis;
  const prefix = process.env.REDIS_KEY_PREFIX as string;
  const pendingOf = (campaignId: string) => redis.zrange(`${prefix}${admissionKeys(campaignId).pending}`, 0, -1);

  /** Reserves as a process of life `maker` would, through the app's own script; answers the voucher id. */
  const reserveAs = async (maker: string, campaignId: string, roundId: string, resident: TestResident): Promise<string> => {
    const keys = admissionKeys(campaignId);
    const voucherId = newPublicId();
    const [[outcome]] = (await callScript(
      app.get<Redis>(REDIS),
      'grabReserve',
      [keys.loaded, keys.meta, keys.pending, keys.index, keys.round(roundId), keys.person(resident.id)],
      [maker, roundId, voucherId, '', resident.id],
    )) as string[][];
    expect(outcome).toBe('OK');
    return voucherId;
  };

  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A restarted process's first pass visits every active campaign: in the suite's shared database, hundreds.
    dropDatabase = await isolateThisFile({ ownKeyPrefix: false });
    ({ app, db, redis } = await rig.start());
    // Only the apps a test boots settle orphans: this one's watch would do it first.
    app.get(AdmissionWatch).onApplicationShutdown();
  });

  afterAll(async () => {
    await rig.stop();
    await dropDatabase();
  });

  it('a restarted process settles the orphans of a life that is over at its start, and only those', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [round] = campaign.rounds;
    const [lost, alsoLost, committed, beating, writing] = await createVerifiedResidents(db, 5);
    // A process died after reserving for `lost` and `alsoLost`, before their rows.
    await reserveAs('deadlife0001', campaign.id, round, lost);
    await reserveAs('deadlife0001', campaign.id, round, alsoLost);
    // It committed `committed`'s row, then died before trimming its pending entry.
    const savedId = await reserveAs('deadlife0001', campaign.id, round, committed);
    await db.query(
      `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, claimed_at, expires_at)
       SELECT $1, r.campaign_id, r.id, res.id, 1, 1000, 4000, now(), now() + interval '7 days'
         FROM rounds r, residents res WHERE r.public_id = $2 AND res.public_id = $3`,
      [savedId, round, committed.id],
    );
    // Lives that are not over: one still beats in Redis, one still has a connection in Postgres
    // (named after the one its database URL gives, as openPgPool names it).
    await reserveAs('livebeat0002', campaign.id, round, beating);
    await redis.set(`${prefix}${lifeKey('livebeat0002')}`, '1', 'PX', 60_000);
    await reserveAs('livepgcn0003', campaign.id, round, writing);
    const connection = new Client({ connectionString: process.env.DATABASE_URL, application_name: `an-operator-name/${claimConnectionName('livepgcn0003')}` });
    await connection.connect();
    try {
      expect(await rig.stockOf(campaign.id, round)).toBe(5);
      const locked = await rig.grab(lost, round);
      expect([locked.status, locked.body.code]).toEqual([503, 'CLAIM_IN_PROGRESS']);
      await sleep(1_100); // orphans younger than a second are left to their maker

      const started = Date.now();
      const restarted = await bootApp('issuance', { GRAB_LIMIT_PER_PERSON: '0' });
      try {
        while ((await rig.stockOf(campaign.id, round)) !== 7 && Date.now() - started < 10_000) await sleep(50);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(await rig.stockOf(campaign.id, round)).toBe(7);
        const left = await pendingOf(campaign.id);
        expect(left.map((member) => member.split('|')[1]).sort()).toEqual([beating.id, writing.id].sort());

        expect((await rig.grab(lost, round)).status).toBe(201);
        expect((await rig.grab(committed, round)).status).toBe(200);

        // Once those lives end too, their reservations go as well.
        await redis.del(`${prefix}${lifeKey('livebeat0002')}`);
        await connection.end();
        await restarted.get(AdmissionWatch).tick();
        expect(await rig.stockOf(campaign.id, round)).toBe(8);
        expect(await pendingOf(campaign.id)).toEqual([]);
        expect((await rig.grab(beating, round)).status).toBe(201);
        expect(await rig.rowsOf(round)).toHaveLength(3);
      } finally {
        await restarted.close();
      }
    } finally {
      await connection.end().catch(() => undefined);
    }
  }, 30_000);
});
