import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { AdmissionStore } from '../apps/issuance/src/claims/admission.store';
import { HeldVouchers } from '../apps/issuance/src/claims/held-vouchers';
import { HELD_VOUCHERS } from '../apps/issuance/src/claims/resident-vouchers.sql';
import { RoundCatalog } from '../apps/issuance/src/claims/round-catalog';
import { createActiveCampaign } from './support/campaigns';
import { GrabRig } from './support/grab-rig';
import { createVerifiedResidents } from './support/residents';
import { tokenFor, unsignedToken } from './support/tokens';

/** The grab over real HTTP on a real port, so thousands of requests are truly concurrent. */
describe('the grab', () => {
  const rig = new GrabRig();
  const grab = rig.grab.bind(rig);
  const rowsOf = rig.rowsOf.bind(rig);
  const stockOf = rig.stockOf.bind(rig);
  let app: NestFastifyApplication;
  let db: DataSource;

  beforeAll(async () => {
    ({ app, db } = await rig.start());
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('never oversells: 2,000 concurrent grabs by 1,500 residents for 500 vouchers', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [500] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 1500);
    const crowd = [...residents, ...residents.slice(0, 500)];
    const answers = await Promise.all(crowd.map((resident) => grab(resident, round)));

    const rows = await rowsOf(round);
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((row) => row.resident)).size).toBe(500);
    const successes = answers.filter((a) => a.status === 201 || a.status === 200);
    const inPostgres = new Map(rows.map((row) => [row.public_id, row.resident]));
    for (const success of successes) expect(inPostgres.get(success.body.id as string)).toBe(success.resident);
    expect(new Set(successes.map((a) => a.body.id)).size).toBe(500);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(500);
    const others = answers.filter((a) => a.status !== 201 && a.status !== 200);
    expect(others.every((a) => a.status === 409 && ['SOLD_OUT', 'ALREADY_CLAIMED'].includes(a.body.code as string))).toBe(true);
    expect(await stockOf(campaign.id, round)).toBe(0);
    // Written to the campaign's own partition of vouchers, made when the campaign was (docs/partitions.md).
    const placed: Array<{ partition: string; campaign: string }> = await db.query(
      'SELECT DISTINCT v.tableoid::regclass::text AS partition, c.id::text AS campaign FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id WHERE c.public_id = $1',
      [campaign.id],
    );
    expect(placed).toHaveLength(1);
    expect(placed[0].partition).toBe(`vouchers_c${placed[0].campaign}`);
  });

  it('gives one resident one voucher however many times they press at once', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [50] });
    const [resident] = await createVerifiedResidents(db, 1);
    const answers = await Promise.all(Array.from({ length: 200 }, () => grab(resident, campaign.rounds[0])));
    const rows = await rowsOf(campaign.rounds[0]);
    expect(rows).toHaveLength(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.every((a) => (a.status === 201 || a.status === 200) && a.body.id === rows[0].public_id)).toBe(true);
    expect(await stockOf(campaign.id, campaign.rounds[0])).toBe(49);
  });

  it('answers a retry with the same Idempotency-Key with the same voucher, and refuses the key for another round', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [10, 10], perPersonLimit: 2 });
    const [resident] = await createVerifiedResidents(db, 1);
    const key = { 'idempotency-key': `grab-${newPublicId()}` };
    const first = await grab(resident, campaign.rounds[0], key);
    const retry = await grab(resident, campaign.rounds[0], key);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body).toEqual(first.body);
    // The retry's view (the row, the rest from the round catalog) is the one the resident's list shows, status as the owner sees it.
    await db.query(`UPDATE vouchers SET expires_at = now() - interval '1 second' WHERE public_id = $1`, [first.body.id]);
    const late = await grab(resident, campaign.rounds[0], key);
    const listed = await fetch(`${rig.base}/v1/me/vouchers`, { headers: { authorization: `Bearer ${resident.token}` } }).then((r) => r.json() as Promise<{ items: unknown[] }>);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ id: first.body.id, status: 'expired' });
    expect(listed.items).toEqual([late.body]);
    const elsewhere = await grab(resident, campaign.rounds[1], key);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const bad = await grab(resident, campaign.rounds[1], { 'idempotency-key': 'no spaces!' });
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_IDEMPOTENCY_KEY']);
    // Another campaign: Redis has not seen the key there, the database has (unique per resident).
    const other = await createActiveCampaign(app, { quantity: [10] });
    const reused = await grab(resident, other.rounds[0], key);
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await rowsOf(other.rounds[0])).toHaveLength(0);
    expect(await rig.stockOf(other.id, other.rounds[0])).toBe(10);
  });

  it("answers many residents' retries at once, each with their own voucher, read in shared statements", async () => {
    const campaign = await createActiveCampaign(app, { quantity: [300] });
    const [round] = campaign.rounds;
    const residents = await createVerifiedResidents(db, 300);
    const firsts = await Promise.all(residents.map((resident) => grab(resident, round)));
    expect(firsts.every((a) => a.status === 201)).toBe(true);
    const reads = jest.spyOn(app.get(DataSource), 'query');
    try {
      const retries = await Promise.all(residents.map((resident) => grab(resident, round)));
      expect(retries.map((a) => [a.status, a.body.id])).toEqual(firsts.map((a) => [200, a.body.id]));
      const statements = reads.mock.calls.filter(([sql]) => sql === HELD_VOUCHERS).length;
      expect(statements).toBeGreaterThan(0);
      expect(statements).toBeLessThan(retries.length / 2);
    } finally {
      reads.mockRestore();
    }
    // Never another person's voucher, nor one of another round, even in the same statement.
    const held = app.get(HeldVouchers);
    const info = await app.get(RoundCatalog).find(round);
    const [mine, theirs] = [firsts[0].body.id as string, firsts[1].body.id as string];
    const [own, stolen] = await Promise.all([held.waitFor(residents[0].id, mine, info!, 0), held.waitFor(residents[0].id, theirs, info!, 0)]);
    expect([own?.id, stolen]).toEqual([mine, null]);
  });

  it('after a sell-out, grabs arriving a few at a time wait a little to share a script, each still answered by it', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [2] });
    const [round] = campaign.rounds;
    const [first, second, ...late] = await createVerifiedResidents(db, 23);
    const held = await grab(first, round);
    expect([held.status, (await grab(second, round)).status]).toEqual([201, 201]);
    expect((await grab(late[0], round)).body.code).toBe('SOLD_OUT'); // from here the round is known sold out
    const store = app.get(AdmissionStore) as unknown as { reserveBatch: (...args: unknown[]) => Promise<void> };
    const scripts = jest.spyOn(store, 'reserveBatch');
    try {
      // 21 grabs 2 ms apart, the holder's retry last: one a turn or so, each its own script without the wait.
      const crowd = [...late.slice(1), first];
      const answers = await Promise.all(crowd.map((resident, i) => new Promise((resolve) => setTimeout(resolve, 2 * i)).then(() => grab(resident, round))));
      expect(answers.slice(0, -1).map((a) => [a.status, a.body.code])).toEqual(late.slice(1).map(() => [409, 'SOLD_OUT']));
      expect([answers[answers.length - 1].status, answers[answers.length - 1].body.id]).toEqual([200, held.body.id]);
      expect(scripts.mock.calls.length).toBeGreaterThan(0);
      expect(scripts.mock.calls.length).toBeLessThan(crowd.length / 2);
    } finally {
      scripts.mockRestore();
    }
  });

  it('holds the per-person limit across rounds, backed by the database', async () => {
    const campaign = await createActiveCampaign(app, { quantity: [5, 6, 7], perPersonLimit: 2 });
    const [resident] = await createVerifiedResidents(db, 1);
    const answers = await Promise.all(campaign.rounds.map((round) => grab(resident, round)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(['ALREADY_CLAIMED']);
    await expect(
      db.query(
        `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, claimed_at, expires_at)
         SELECT $1, v.campaign_id, r.id, v.resident_id, v.person_seq, 1000, 4000, now(), now()
           FROM vouchers v JOIN rounds r ON r.public_id = $2 WHERE v.public_id = $3`,
        [newPublicId(), campaign.rounds.find((_, i) => answers[i].status === 409), answers.find((a) => a.status === 201)?.body.id],
      ),
    ).rejects.toThrow(/vouchers_campaign_resident_seq_key/);
  });

  it('refuses with a clear code: not open yet, unverified, paused, unknown round, another role', async () => {
    const later = await createActiveCampaign(app, { quantity: [5], opensAt: new Date(Date.now() + 3_600_000) });
    const [resident] = await createVerifiedResidents(db, 1);
    const early = await grab(resident, later.rounds[0]);
    expect([early.status, early.body.code]).toEqual([409, 'ROUND_NOT_OPEN']);

    const open = await createActiveCampaign(app, { quantity: [5] });
    const unverified = { id: resident.id, token: tokenFor({ sub: resident.id, role: Role.Resident }) };
    expect((await grab(unverified, open.rounds[0])).body.code).toBe('REAL_NAME_REQUIRED');
    const official = { id: resident.id, token: tokenFor({ role: Role.CommerceOfficial }) };
    expect((await grab(official, open.rounds[0])).status).toBe(403);
    expect((await grab(resident, newPublicId())).body.code).toBe('ROUND_NOT_FOUND');
    expect((await grab(resident, 'not-a-uuid')).status).toBe(400);

    await fetch(`${rig.base}/v1/admin/campaigns/${open.id}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor({ role: Role.CommerceOfficial })}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'paused' }),
    });
    const paused = await grab(resident, open.rounds[0]);
    expect([paused.status, paused.body.code]).toEqual([409, 'CAMPAIGN_NOT_ACTIVE']);
    expect(await rowsOf(open.rounds[0])).toHaveLength(0);
  });

  it('refuses a closed round and a spent budget, and takes nothing', async () => {
    const closed = await createActiveCampaign(app, { quantity: [5], opensAt: new Date(Date.now() - 120_000), closesAt: new Date(Date.now() - 60_000) });
    const [resident] = await createVerifiedResidents(db, 1);
    const late = await grab(resident, closed.rounds[0]);
    expect([late.status, late.body.code]).toEqual([409, 'ROUND_CLOSED']);

    // Creation keeps every round within the budget; the script's own check is the backstop.
    const spent = await createActiveCampaign(app, { quantity: [5], faceValueFen: 1000 });
    await rig.redis.hset(`${rig.prefix}{cmp:${spent.id}}:meta`, 'budget', 999);
    const broke = await grab(resident, spent.rounds[0]);
    expect([broke.status, broke.body.code]).toEqual([409, 'BUDGET_EXHAUSTED']);
    expect(await rowsOf(spent.rounds[0])).toHaveLength(0);
    expect(await rig.stockOf(spent.id, spent.rounds[0])).toBe(5);
    expect(await rig.redis.hget(`${rig.prefix}{cmp:${spent.id}}:meta`, 'budget')).toBe('999');
  });

  it('answers like every other route though it is served below Fastify: 401s, request ids, metrics, /docs; other methods 404', async () => {
    const open = await createActiveCampaign(app, { quantity: [5] });
    const round = open.rounds[0];
    const [resident] = await createVerifiedResidents(db, 1);
    const forged = [
      '',
      unsignedToken({ sub: resident.id, role: Role.Resident, rv: 1 }),
      tokenFor({ sub: resident.id, role: Role.Resident, verified: true }, { secret: 'another-key' }),
      tokenFor({ sub: resident.id, role: Role.Resident, verified: true }, { expiresIn: -10 }),
    ];
    for (const token of forged) {
      const response = await fetch(`${rig.base}/v1/rounds/${round}/claims`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'till-7-req-1' },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-request-id')).toBe('till-7-req-1');
      expect(await response.json()).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String), requestId: 'till-7-req-1' });
    }
    const badKey = await grab(resident, round, { 'idempotency-key': 'short' });
    expect([badKey.status, badKey.body.code]).toEqual([400, 'INVALID_IDEMPOTENCY_KEY']);
    expect(await rowsOf(round)).toHaveLength(0);

    const document = (await (await fetch(`${rig.base}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(document.paths['/v1/rounds/{roundId}/claims']).toEqual({ post: expect.objectContaining({ summary: expect.any(String) }) });
    expect(document.paths['/v1/me/vouchers']).toBeDefined();

    const metrics = await (await fetch(`${rig.base}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_count{app="issuance",method="POST",route="/v1/rounds/:roundId/claims",status="401"} 4');
    const get = await fetch(`${rig.base}/v1/rounds/${round}/claims`, { headers: { authorization: `Bearer ${resident.token}` } });
    expect([get.status, ((await get.json()) as { code: string }).code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });
});
