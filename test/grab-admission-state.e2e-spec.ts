import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { callScript, LockLostError, Redis, REDIS } from '@vouchers/redis';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdmissionSync } from '../apps/issuance/src/claims/admission-sync';
import { AdmissionLoader } from '../apps/issuance/src/claims/admission-loader';
import { admissionKeys } from '../apps/issuance/src/claims/admission-keys';
import { OPEN_ENDED_HORIZON_MS } from '../apps/issuance/src/claims/admission-lifetime';
import { STATE_LOCK_MS } from '../apps/issuance/src/claims/admission-state';
import { ClaimWriter } from '../apps/issuance/src/claims/claim-writer';
import { GrabTiming } from '../apps/issuance/src/claims/grab-timing';
import { newPublicId } from '@vouchers/common';
import { createActiveCampaign, officialToken } from './support/campaigns';
import { GrabRig } from './support/grab-rig';
import { waitUntilBlockedBy } from './support/database';
import { createVerifiedResidents } from './support/residents';
import { bearer } from './support/tokens';
import { keysMatching } from './support/redis-keys';

const DAY_MS = 86_400_000;

/** How long the campaign's admission state lives, and what it says, as its campaign moves on. */
describe('the admission state over a campaign’s life', () => {
  const rig = new GrabRig();
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: Redis;
  const prefix = process.env.REDIS_KEY_PREFIX as string;
  const key = (campaignId: string, rest: string) => `${prefix}{cmp:${campaignId}}:${rest}`;
  const move = (campaignId: string, to: string) =>
    request(app.getHttpServer()).post(`/v1/admin/campaigns/${campaignId}/transitions`).set(bearer(officialToken())).send({ to });
  /** Every key of the campaign's state with its expiry (unix ms); a key gone meanwhile (the pending set, trimmed empty) is left out. */
  const expiries = async (campaignId: string) => {
    const keys = await keysMatching(redis, key(campaignId, '*'));
    const found = await Promise.all(keys.map(async (k) => ({ key: k, at: await redis.pexpiretime(k) })));
    return found.filter((entry) => entry.at !== -2);
  };

  beforeAll(async () => {
    ({ app, db, redis } = await rig.start());
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('keeps a round without an end open for days after it opened', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10], opensAt: new Date(Date.now() - 3 * DAY_MS) });
    const [resident] = await createVerifiedResidents(db, 1);
    expect((await rig.grab(resident, campaign.rounds[0])).status).toBe(201);
    const horizon = Date.now() + OPEN_ENDED_HORIZON_MS;
    for (const { key: k, at } of await expiries(campaign.id)) {
      expect([k, Math.abs(at - horizon - DAY_MS) < 60_000]).toEqual([k, true]);
    }
  });

  it('renews the state of a campaign without an end before it runs out, every key of it', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const residents = await createVerifiedResidents(db, 3);
    for (const resident of residents) expect((await rig.grab(resident, campaign.rounds[0])).status).toBe(201);
    // Every key at once, as the state would stand two days before it runs out.
    const soon = Date.now() + 2 * DAY_MS;
    const aging = redis.multi().hset(key(campaign.id, 'meta'), 'ttl', soon);
    for (const { key: k } of await expiries(campaign.id)) aging.pexpireat(k, soon);
    await aging.exec();

    // The app's own watch may get there first; this waits for it, or does it.
    await app.get(AdmissionSync).follow(campaign.id, 5_000);
    const renewed = await expiries(campaign.id);
    expect(renewed.filter((e) => e.key.includes(':person:'))).toHaveLength(3);
    expect(renewed.every((e) => e.at > Date.now() + OPEN_ENDED_HORIZON_MS)).toBe(true);
    expect(Number(await redis.hget(key(campaign.id, 'meta'), 'ttl'))).toBeGreaterThan(Date.now() + OPEN_ENDED_HORIZON_MS);
    // Nothing more to renew a moment later.
    const marker = await redis.pexpiretime(key(campaign.id, 'loaded'));
    await app.get(AdmissionSync).follow(campaign.id, 5_000);
    expect(await redis.pexpiretime(key(campaign.id, 'loaded'))).toBe(marker);
  });

  it('lets an ended campaign’s state go within a day, and answers late grabs 409 even after it is gone', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [holder, late] = await createVerifiedResidents(db, 2);
    expect((await rig.grab(holder, campaign.rounds[0])).status).toBe(201);
    await move(campaign.id, 'ended').expect(200);
    const ended = await expiries(campaign.id);
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((e) => e.at > 0 && e.at <= Date.now() + DAY_MS)).toBe(true);
    expect((await rig.grab(late, campaign.rounds[0])).body.code).toBe('CAMPAIGN_NOT_ACTIVE');

    // Gone (expired, or Redis restarted): one grab sees it rebuilt, the next gets its 409, not 503 for ever.
    await redis.del(...(await keysMatching(redis, key(campaign.id, '*'))));
    let answer = await rig.grab(late, campaign.rounds[0]);
    for (let i = 0; i < 50 && answer.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await rig.grab(late, campaign.rounds[0]);
    }
    expect([answer.status, answer.body.code]).toEqual([409, 'CAMPAIGN_NOT_ACTIVE']);
    // An ended campaign admits nobody, so its rebuild loads no person records.
    expect(await keysMatching(redis, key(campaign.id, 'person:*'))).toEqual([]);
  });

  it('pauses the campaign whatever the case of the id the official sends', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [resident] = await createVerifiedResidents(db, 1);
    const moved = await move(campaign.id.toUpperCase(), 'paused').expect(200);
    expect(moved.body.id).toBe(campaign.id);
    const answer = await rig.grab(resident, campaign.rounds[0]);
    expect([answer.status, answer.body.code]).toEqual([409, 'CAMPAIGN_NOT_ACTIVE']);
    // Had the Redis half of the move failed, the next sync (the watch's) puts it right.
    await redis.hset(key(campaign.id, 'meta'), 'status', 'active');
    expect(await app.get(AdmissionSync).follow(campaign.id, 5_000)).toBe(true);
    expect(await redis.hget(key(campaign.id, 'meta'), 'status')).toBe('paused');
    const [audit] = await db.query(`SELECT target_id FROM audit_log WHERE action = 'campaign.transition' AND detail->>'to' = 'paused' AND lower(target_id) = $1`, [campaign.id]);
    expect(audit.target_id).toBe(campaign.id);
  });

  it('rebuilds the person records as the grabs wrote them: every field, and the state’s expiry', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10, 20], perPersonLimit: 2 });
    const residents = await createVerifiedResidents(db, 3);
    expect((await rig.grab(residents[0], campaign.rounds[0], { 'Idempotency-Key': `key-${newPublicId()}` })).status).toBe(201);
    expect((await rig.grab(residents[0], campaign.rounds[1])).status).toBe(201);
    for (const resident of residents.slice(1)) expect((await rig.grab(resident, campaign.rounds[1])).status).toBe(201);
    const people = async () =>
      Object.fromEntries(await Promise.all(residents.map(async (r) => [r.id, await redis.hgetall(key(campaign.id, `person:${r.id}`))] as const)));
    const written = await people();
    // Two claims, one with its key: r:, s:, v: of each and the k: of the keyed one.
    expect(Object.keys(written[residents[0].id])).toHaveLength(7);

    expect(await app.get(AdmissionLoader).rebuild(campaign.id)).toBe(true);
    expect(await people()).toEqual(written);
    const ttl = Number(await redis.hget(key(campaign.id, 'meta'), 'ttl'));
    for (const r of residents) expect(await redis.pexpiretime(key(campaign.id, `person:${r.id}`))).toBe(ttl);
  });

  it('finds every key of the state through its index, no SCAN: a rebuild deletes a person record Postgres does not back, and lists only what it wrote', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [held, stray] = await createVerifiedResidents(db, 2);
    expect((await rig.grab(held, campaign.rounds[0])).status).toBe(201);
    // A reservation whose row never reached Postgres (its process died before the sweep): the script indexed its person record.
    const keys = admissionKeys(campaign.id);
    const [[outcome]] = (await callScript(
      app.get<Redis>(REDIS),
      'grabReserve',
      [keys.loaded, keys.meta, keys.pending, keys.index, keys.round(campaign.rounds[0]), keys.person(stray.id)],
      ['gone-process', campaign.rounds[0], newPublicId(), '', stray.id],
    )) as string[][];
    expect(outcome).toBe('OK');
    expect((await redis.smembers(key(campaign.id, 'index'))).sort()).toEqual([`person:${held.id}`, `person:${stray.id}`, `round:${campaign.rounds[0]}`].sort());

    expect(await app.get(AdmissionLoader).rebuild(campaign.id)).toBe(true);
    expect(await redis.exists(key(campaign.id, `person:${stray.id}`))).toBe(0);
    expect(await redis.hget(key(campaign.id, `person:${held.id}`), `r:${campaign.rounds[0]}`)).not.toBeNull();
    expect((await redis.smembers(key(campaign.id, 'index'))).sort()).toEqual([`person:${held.id}`, `round:${campaign.rounds[0]}`].sort());
    expect(await rig.stockOf(campaign.id, campaign.rounds[0])).toBe(9);
    // The index expires with the rest of the state.
    expect(await redis.pexpiretime(key(campaign.id, 'index'))).toBe(Number(await redis.hget(key(campaign.id, 'meta'), 'ttl')));
  });

  it('does not let a rebuild write back a status that a move is changing', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const mover = new Client({ connectionString: process.env.DATABASE_URL });
    await mover.connect();
    try {
      // A move in flight: the row is locked and changed, not yet committed.
      await mover.query('BEGIN');
      await mover.query(`UPDATE campaigns SET status = 'paused' WHERE public_id = $1`, [campaign.id]);
      const rebuilt = app.get(AdmissionLoader).rebuild(campaign.id);
      await waitUntilBlockedBy(db, mover);
      await mover.query('COMMIT');
      expect(await rebuilt).toBe(true);
    } finally {
      await mover.end();
    }
    expect(await redis.hget(key(campaign.id, 'meta'), 'status')).toBe('paused');
  });

  it('aborts a rebuild whose state lock was lost before it writes: no new generation, the state left as it was', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [resident] = await createVerifiedResidents(db, 1);
    expect((await rig.grab(resident, campaign.rounds[0])).status).toBe(201);
    const generationOf = async () =>
      (await db.query('SELECT a.generation FROM campaign_admission a JOIN campaigns c ON c.id = a.campaign_id WHERE c.public_id = $1', [campaign.id]))[0]
        .generation as string;
    const before = await generationOf();
    expect(await redis.get(key(campaign.id, 'loaded'))).toBe(before);

    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      // The rebuild takes the lock, then waits in Postgres to bump the generation.
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM campaign_admission a JOIN campaigns c ON c.id = a.campaign_id WHERE c.public_id = $1 FOR UPDATE OF a', [campaign.id]);
      const rebuilt = app.get(AdmissionLoader).rebuild(campaign.id);
      rebuilt.catch(() => undefined);
      await waitUntilBlockedBy(db, blocker);
      // Meanwhile its lease lapses and someone else takes the lock; the next renewal finds out.
      await redis.set(key(campaign.id, 'lock'), 'someone-else', 'PX', 60_000);
      await new Promise((resolve) => setTimeout(resolve, STATE_LOCK_MS / 3 + 1_000));
      await blocker.query('COMMIT');
      await expect(rebuilt).rejects.toBeInstanceOf(LockLostError);
    } finally {
      await blocker.end();
    }
    expect(await generationOf()).toBe(before);
    expect(await redis.get(key(campaign.id, 'loaded'))).toBe(before);
    expect(await redis.hexists(key(campaign.id, `person:${resident.id}`), `r:${campaign.rounds[0]}`)).toBe(1);
    expect(await redis.get(key(campaign.id, 'lock'))).toBe('someone-else');
    await redis.del(key(campaign.id, 'lock'));
    expect(await app.get(AdmissionLoader).rebuild(campaign.id)).toBe(true);
  }, 30_000);

  it('answers 503 with Retry-After, not 500, while Redis does not answer', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [resident] = await createVerifiedResidents(db, 1);
    const client = app.get<Redis>(REDIS);
    client.disconnect();
    try {
      const response = await fetch(`${rig.base}/v1/rounds/${campaign.rounds[0]}/claims`, {
        method: 'POST',
        headers: { authorization: `Bearer ${resident.token}` },
      });
      expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([503, 'ADMISSION_UNAVAILABLE']);
      expect(response.headers.get('retry-after')).toBe('1');
    } finally {
      await client.connect();
    }
    expect((await rig.grab(resident, campaign.rounds[0])).status).toBe(201);
    expect(await rig.rowsOf(campaign.rounds[0])).toHaveLength(1);
  });

  it('does not send a claim that waited past its deadline for a batch', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10] });
    const [resident] = await createVerifiedResidents(db, 1);
    const [ids] = await db.query(
      `SELECT c.id AS campaign, r.id AS round, a.generation FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
         JOIN campaign_admission a ON a.campaign_id = c.id WHERE r.public_id = $1`,
      [campaign.rounds[0]],
    );
    const row = (claimedAt: Date) => ({
      voucherId: newPublicId(),
      campaignId: campaign.id,
      internalCampaignId: ids.campaign,
      generation: ids.generation,
      internalRoundId: ids.round,
      residentId: resident.id,
      slot: 1,
      faceValueFen: 1000,
      thresholdFen: 4000,
      claimedAt,
      expiresAt: new Date(claimedAt.getTime() + 7 * DAY_MS),
      idempotencyKey: '',
    });
    const writer = app.get(ClaimWriter);
    expect(await writer.write(row(new Date(Date.now() - app.get(GrabTiming).queueDeadlineMs - 1_000)))).toBe('late');
    expect(await rig.rowsOf(campaign.rounds[0])).toHaveLength(0);
    expect(await writer.write(row(new Date()))).toBe('inserted');
    expect(await rig.rowsOf(campaign.rounds[0])).toHaveLength(1);
  });
});
