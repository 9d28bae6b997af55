import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { bootAppOnFreshDatabase, FreshApp } from './support/fresh-database';
import { createVerifiedResidents } from './support/residents';
import { bearer, tokenFor } from './support/tokens';

interface Round {
  id: string;
  quantity: number;
  issued: number;
  remaining: number;
  admissionStock: number | null;
}
interface Detail {
  id: string;
  status: string;
  admission: string;
  voucherTypes: Array<{ id: string; name: string; rounds: Round[] }>;
  statusHistory: Array<{ from: string | null; to: string; reason: string | null; by: string; byName: string | null; byRole: string; at: string }>;
}

const cityOfficialId = newPublicId();
const cityOfficial = bearer(tokenFor({ role: Role.CommerceOfficial, sub: cityOfficialId }, { expiresIn: 3600 }));
const haishuOfficial = bearer(tokenFor({ role: Role.CommerceOfficial, district: 'haishu' }, { expiresIn: 3600 }));
const jiangbeiOfficial = bearer(tokenFor({ role: Role.CommerceOfficial, district: 'jiangbei' }, { expiresIn: 3600 }));

/**
 * Officials read back the campaigns they made: every one, drafts included, in pages; one with
 * its rounds, their stock from Postgres and from Redis, and its status history. On a database
 * of its own, so the listing holds this file's campaigns only.
 */
describe('campaign read-backs for officials', () => {
  let fresh: FreshApp;
  let app: NestFastifyApplication;
  const get = (path: string, headers = cityOfficial) => request(app.getHttpServer()).get(path).set(headers);

  async function createCampaign(headers = cityOfficial, districts: string[] = [], quantities = [5, 3]): Promise<string> {
    const response = await request(app.getHttpServer())
      .post('/v1/admin/campaigns')
      .set(headers)
      .send({
        name: `read-back ${randomBytes(3).toString('hex')}`,
        categories: ['dining'],
        districts,
        budgetFen: 100_000,
        ...(districts.length === 0 ? { cityShareBp: 5000 } : {}),
        validityDays: 7,
        perPersonLimit: 2,
        returnsToPool: false,
        voucherTypes: [
          { name: '满40减10', faceValueFen: 1000, thresholdFen: 4000, rounds: quantities.map((quantity) => ({ opensAt: new Date(Date.now() - 60_000).toISOString(), quantity })) },
        ],
      })
      .expect(201);
    return response.body.id as string;
  }

  const move = (id: string, to: string, reason?: string, headers = cityOfficial) =>
    request(app.getHttpServer()).post(`/v1/admin/campaigns/${id}/transitions`).set(headers).send({ to, ...(reason ? { reason } : {}) }).expect(200);

  async function allPages(query: string, headers = cityOfficial): Promise<Array<{ id: string; status: string }>> {
    const seen: Array<{ id: string; status: string }> = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await get(`/v1/admin/campaigns?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`, headers).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    return seen;
  }

  beforeAll(async () => {
    fresh = await bootAppOnFreshDatabase('issuance');
    app = fresh.app;
  });

  afterAll(async () => {
    await fresh.close();
  });

  it('shows a new draft in the listing and in full, with its creation as the first status change', async () => {
    const id = await createCampaign();
    const listed = (await get('/v1/admin/campaigns?limit=200').expect(200)).body.items as Array<{ id: string; status: string; cityShareBp: number }>;
    expect(listed.find((campaign) => campaign.id === id)).toMatchObject({ status: 'draft', cityShareBp: 5000 });

    const detail = (await get(`/v1/admin/campaigns/${id}`).expect(200)).body as Detail;
    expect(detail).toMatchObject({ id, status: 'draft', admission: 'not_loaded' });
    expect(detail.voucherTypes).toHaveLength(1);
    expect(detail.voucherTypes[0].rounds.map((round) => [round.quantity, round.issued, round.remaining, round.admissionStock]).sort()).toEqual([
      [3, 0, 3, null],
      [5, 0, 5, null],
    ]);
    expect(detail.statusHistory).toEqual([
      // The test's token is of no account: no name to give.
      { from: null, to: 'draft', reason: null, by: cityOfficialId, byName: null, byRole: 'commerce_official', at: expect.stringMatching(/Z$/) },
    ]);
    // Drafts are the officials' only: the residents' listing leaves them out.
    const published = (await request(app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200)).body.items as Array<{ id: string }>;
    expect(published.map((campaign) => campaign.id)).not.toContain(id);
  });

  it('records each move in the status history, newest first, with who moved it (by name) and why', async () => {
    const id = await createCampaign();
    const moverId = newPublicId();
    const mover = bearer(tokenFor({ role: Role.CommerceOfficial, sub: moverId }, { expiresIn: 3600 }));
    await move(id, 'scheduled');
    await move(id, 'active', undefined, mover);
    await move(id, 'paused', 'merchant complaints', mover);
    // The mover's account, made after their token's last request (a token of an account must come from its sign-in).
    await fresh.db.query(`INSERT INTO officials (public_id, phone, name, role) VALUES ($1, '13988887777', '市商务局 王', 'commerce_official')`, [moverId]);
    const { statusHistory } = (await get(`/v1/admin/campaigns/${id}`).expect(200)).body as Detail;
    expect(statusHistory.map(({ from, to, reason, by, byName }) => ({ from, to, reason, by, byName }))).toEqual([
      { from: 'active', to: 'paused', reason: 'merchant complaints', by: moverId, byName: '市商务局 王' },
      { from: 'scheduled', to: 'active', reason: null, by: moverId, byName: '市商务局 王' },
      { from: 'draft', to: 'scheduled', reason: null, by: cityOfficialId, byName: null },
      { from: null, to: 'draft', reason: null, by: cityOfficialId, byName: null },
    ]);
    const times = statusHistory.map((change) => Date.parse(change.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('shows the stock a grab took, in Postgres and in the live admission state', async () => {
    const id = await createCampaign(cityOfficial, [], [4]);
    await move(id, 'scheduled');
    await move(id, 'active');
    const before = (await get(`/v1/admin/campaigns/${id}`).expect(200)).body as Detail;
    expect(before.admission).toBe('loaded');
    const [round] = before.voucherTypes[0].rounds;
    expect(round).toMatchObject({ quantity: 4, issued: 0, remaining: 4, admissionStock: 4 });

    const [resident] = await createVerifiedResidents(app.get(DataSource), 1);
    await request(app.getHttpServer()).post(`/v1/rounds/${round.id}/claims`).set(bearer(resident.token)).expect(201);
    const after = (await get(`/v1/admin/campaigns/${id}`).expect(200)).body as Detail;
    expect(after.voucherTypes[0].rounds[0]).toMatchObject({ quantity: 4, issued: 1, remaining: 3, admissionStock: 3 });
  });

  it('pages through every campaign without repeats, and filters by status', async () => {
    const drafts = [await createCampaign(), await createCampaign(), await createCampaign()];
    await move(drafts[2], 'ended');
    const all = await allPages('');
    const ids = all.map((campaign) => campaign.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(drafts));
    expect(ids).toEqual([...ids].sort().reverse());
    const total = Number((await fresh.db.query('SELECT count(*) FROM campaigns')).rows[0].count);
    expect(ids).toHaveLength(total);

    const ended = await allPages('&status=ended');
    expect(ended.every((campaign) => campaign.status === 'ended')).toBe(true);
    expect(ended.map((campaign) => campaign.id)).toContain(drafts[2]);
    const onlyDrafts = (await allPages('&status=draft')).map((campaign) => campaign.id);
    expect(onlyDrafts).toEqual(expect.arrayContaining(drafts.slice(0, 2)));
    expect(onlyDrafts).not.toContain(drafts[2]);
  });

  it("shows a district official their own district's campaigns only; another's reads as not found", async () => {
    const haishu = await createCampaign(haishuOfficial, ['haishu']);
    const jiangbei = await createCampaign(jiangbeiOfficial, ['jiangbei']);
    const cityWide = await createCampaign();

    const seen = (await allPages('', haishuOfficial)).map((campaign) => campaign.id);
    expect(seen).toContain(haishu);
    expect(seen).not.toContain(jiangbei);
    expect(seen).not.toContain(cityWide);
    const inScope = Number((await fresh.db.query(`SELECT count(*) FROM campaigns WHERE districts = '{haishu}'`)).rows[0].count);
    expect(seen).toHaveLength(inScope);

    await get(`/v1/admin/campaigns/${haishu}`, haishuOfficial).expect(200);
    for (const other of [jiangbei, cityWide]) {
      const response = await get(`/v1/admin/campaigns/${other}`, haishuOfficial).expect(404);
      expect(response.body.code).toBe('CAMPAIGN_NOT_FOUND');
    }
    // A city-wide official reads every district's.
    await get(`/v1/admin/campaigns/${jiangbei}`).expect(200);
  });

  it('takes the id in either case, and answers 404 CAMPAIGN_NOT_FOUND for an unknown id or one that is no UUID', async () => {
    const id = await createCampaign();
    const upper = (await get(`/v1/admin/campaigns/${id.toUpperCase()}`).expect(200)).body as Detail;
    expect(upper.id).toBe(id);
    for (const unknown of [newPublicId(), 'not-a-uuid']) {
      expect((await get(`/v1/admin/campaigns/${unknown}`).expect(404)).body.code).toBe('CAMPAIGN_NOT_FOUND');
    }
  });

  it('refuses other roles with 403 and no token with 401', async () => {
    const id = await createCampaign();
    for (const role of [Role.FinanceOfficial, Role.Auditor, Role.Resident, Role.MerchantAdmin]) {
      const headers = bearer(tokenFor({ role, ...(role === Role.MerchantAdmin ? { merchantId: newPublicId() } : {}) }));
      expect((await get('/v1/admin/campaigns', headers).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await get(`/v1/admin/campaigns/${id}`, headers).expect(403)).body.code).toBe('FORBIDDEN');
    }
    await request(app.getHttpServer()).get('/v1/admin/campaigns').expect(401);
  });

  it('refuses an unknown status and a limit out of range', async () => {
    for (const query of ['status=open', 'limit=0', 'limit=201']) {
      expect((await get(`/v1/admin/campaigns?${query}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('describes both reads in /docs with their answers', async () => {
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    const okOf = (path: string) => document.paths[path].get.responses['200'].content['application/json'].schema.$ref;
    expect(okOf('/v1/admin/campaigns')).toBe('#/components/schemas/AdminCampaignPageView');
    expect(okOf('/v1/admin/campaigns/{campaignId}')).toBe('#/components/schemas/AdminCampaignView');
    const round = document.components.schemas.AdminRoundView.properties;
    expect(round.remaining.description).toContain('Postgres');
    expect(round.admissionStock.description).toContain('Redis');
    expect(document.paths['/v1/admin/campaigns/{campaignId}'].get.responses['404'].description).toContain('CAMPAIGN_NOT_FOUND');
  });

  describe('with Redis not answering', () => {
    let blind: NestFastifyApplication;

    beforeAll(async () => {
      const url = Object.assign(new URL(process.env.TEST_SERVER_URL as string), { pathname: `/${fresh.db.database}` }).toString();
      // Port 1 on loopback: nothing listens, so every Redis command fails.
      blind = await bootApp('issuance', { DATABASE_URL: url, REDIS_URL: 'redis://127.0.0.1:1' });
    });

    afterAll(async () => {
      await blind.close();
    });

    it("still answers the campaign, with Postgres' stock and no live figure", async () => {
      const id = await createCampaign(cityOfficial, [], [6]);
      await move(id, 'scheduled');
      await move(id, 'active');
      const response = await request(blind.getHttpServer()).get(`/v1/admin/campaigns/${id}`).set(cityOfficial).expect(200);
      const detail = response.body as Detail;
      expect(detail.admission).toBe('unavailable');
      expect(detail.voucherTypes[0].rounds[0]).toMatchObject({ quantity: 6, issued: 0, remaining: 6, admissionStock: null });
      expect(detail.statusHistory.map((change) => change.to)).toEqual(['active', 'scheduled', 'draft']);
    });
  });
});
