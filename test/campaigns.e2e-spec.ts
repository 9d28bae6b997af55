import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { randomBytes, randomInt } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { bootAppOnFreshDatabase, FreshApp } from './support/fresh-database';
import { bearer, tokenFor } from './support/tokens';

const PROGRAM_BUDGET_FEN = 2_000_000;
/** The city's setting for district campaigns in this file: not the default 5000, so a test can tell where a share came from. */
const DISTRICT_CAMPAIGN_CITY_SHARE_BP = 4000;

/** A valid campaign body; each test breaks one rule of it. */
function campaignBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `campaign ${randomBytes(3).toString('hex')}`,
    categories: ['dining', 'retail'],
    districts: [],
    budgetFen: 100_000,
    cityShareBp: 5000,
    validityDays: 7,
    perPersonLimit: 2,
    returnsToPool: true,
    voucherTypes: [
      { name: '满40减10', faceValueFen: 1000, thresholdFen: 4000, rounds: [{ opensAt: '2026-12-01T02:00:00Z', quantity: 50 }] },
      { name: '满100减30', faceValueFen: 3000, thresholdFen: 10000, rounds: [{ opensAt: '2026-12-01T02:00:00Z', quantity: 10 }] },
    ],
    ...overrides,
  };
}

/** One voucher type with one round, the type and the round each changed as given. */
function oneVoucherType(round: Record<string, unknown> = {}, type: Record<string, unknown> = {}) {
  return { voucherTypes: [{ name: 'x', faceValueFen: 10, thresholdFen: 40, rounds: [{ opensAt: '2026-12-01T02:00:00Z', quantity: 1, ...round }], ...type }] };
}

/**
 * Campaign administration, on a database of its own: the program-wide budget counts every
 * campaign, so other test files' campaigns must not share it.
 */
describe('campaign administration', () => {
  let fresh: FreshApp;
  let app: NestFastifyApplication;
  let audit: Client;
  const official = bearer(tokenFor({ role: Role.CommerceOfficial }));
  const post = (path: string, body: object, headers = official) => request(app.getHttpServer()).post(path).set(headers).send(body);

  beforeAll(async () => {
    fresh = await bootAppOnFreshDatabase('issuance', {
      ANNUAL_BUDGET_FEN: String(PROGRAM_BUDGET_FEN),
      DISTRICT_CAMPAIGN_CITY_SHARE_BP: String(DISTRICT_CAMPAIGN_CITY_SHARE_BP),
    });
    ({ app, db: audit } = fresh);
  });

  afterAll(async () => {
    await fresh.close();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await audit.query(sql, params)).rows[0].count);

  it('creates a draft with its voucher types and rounds, audited', async () => {
    const response = await post('/v1/admin/campaigns', campaignBody()).expect(201);
    expect(await count('SELECT count(*) FROM voucher_types t JOIN campaigns c ON c.id = t.campaign_id WHERE c.public_id = $1', [response.body.id])).toBe(2);
    expect(await count('SELECT count(*) FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.public_id = $1', [response.body.id])).toBe(2);
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'campaign.create' AND target_id = $1`, [response.body.id])).toBe(1);
  });

  it.each([
    ['CAMPAIGN_OVER_BUDGET', { budgetFen: 79_999 }],
    ['THRESHOLD_BELOW_FACE_VALUE', { voucherTypes: [{ name: 'x', faceValueFen: 5000, thresholdFen: 4000, rounds: [{ opensAt: '2026-12-01T02:00:00Z', quantity: 1 }] }] }],
    ['ROUND_CLOSES_BEFORE_OPENING', { voucherTypes: [{ name: 'x', faceValueFen: 10, thresholdFen: 40, rounds: [{ opensAt: '2026-12-01T02:00:00Z', closesAt: '2026-12-01T01:00:00Z', quantity: 1 }] }] }],
    ['VALIDITY_REQUIRED', { validityDays: undefined }],
    ['DATE_OUT_OF_RANGE', { validUntil: '2150-06-01T00:00:00Z' }],
    ['DATE_OUT_OF_RANGE', { voucherTypes: [{ name: 'x', faceValueFen: 10, thresholdFen: 40, rounds: [{ opensAt: '1999-12-01T02:00:00Z', quantity: 1 }] }] }],
    ['VALID_UNTIL_BEFORE_ROUND', { validUntil: '2026-11-30T00:00:00Z' }],
    // A lottery issues its vouchers at the draw, after sign-up: validity must outlast the sign-up.
    [
      'VALID_UNTIL_BEFORE_ROUND',
      { validUntil: '2026-12-02T00:00:00Z', validityDays: 7, ...oneVoucherType({ kind: 'lottery', signupOpensAt: '2026-12-02T10:00:00Z', signupClosesAt: '2026-12-02T20:00:00Z', publicValueSource: 'SSE close, 2026-12-03' }) },
    ],
    ['DUPLICATE_VALUES', { categories: ['dining', 'dining'] }],
    ['VALIDATION_FAILED', { cityShareBp: 10_001 }],
    ['VALIDATION_FAILED', { budgetFen: 100.5 }],
    ['VALIDATION_FAILED', { districts: ['shanghai'] }],
    ['VALIDATION_FAILED', { voucherTypes: [] }],
    // A list inside the list: nothing in it was validated, and the use case read fields of undefined (500).
    ['VALIDATION_FAILED', { voucherTypes: [[]] }],
    ['VALIDATION_FAILED', { voucherTypes: [oneVoucherType().voucherTypes] }],
    ['VALIDATION_FAILED', oneVoucherType({}, { rounds: [[]] })],
    ['VALIDATION_FAILED', { voucherTypes: ['x'] }],
    // Names that show nothing, or break a line.
    ['VALIDATION_FAILED', { name: '   ' }],
    ['VALIDATION_FAILED', { name: '\u200b' }],
    ['VALIDATION_FAILED', { name: '消费券\r\n第二行' }],
    ['VALIDATION_FAILED', oneVoucherType({}, { name: ' \t' })],
    ['VALIDATION_FAILED', { surprise: true }],
    ['VALIDATION_FAILED', { perPersonLimit: 0 }],
    ['VALIDATION_FAILED', { perPersonLimit: 11 }],
    ['VALIDATION_FAILED', { validityDays: 0 }],
    ['VALIDATION_FAILED', { validityDays: 367 }],
    ['VALIDATION_FAILED', oneVoucherType({ quantity: 0 })],
    ['VALIDATION_FAILED', oneVoucherType({ quantity: 2.5 })],
    ['VALIDATION_FAILED', oneVoucherType({}, { faceValueFen: 10.5 })],
    ['VALIDATION_FAILED', oneVoucherType({ opensAt: 'tomorrow' })],
    ['VALIDATION_FAILED', { voucherTypes: [1, 2, 3, 4].map((n) => ({ ...oneVoucherType().voucherTypes[0], name: `type ${n}` })) }],
    ['VALIDATION_FAILED', { categories: ['casino'] }],
    ['VALIDATION_FAILED', { budgetFen: 2 ** 53 + 2 }],
    // Within 200 by the validators' count (U+FE0F counts as nothing there), 300 by the column's: 400, not 500.
    ['VALIDATION_FAILED', { name: '❤️'.repeat(150) }],
    // An optional field may be left out, not sent as null.
    ['VALIDATION_FAILED', { validUntil: null }],
    ['VALIDATION_FAILED', oneVoucherType({ closesAt: null })],
  ])('refuses %s and writes nothing', async (code, overrides) => {
    const body = campaignBody(overrides);
    const response = await post('/v1/admin/campaigns', body).expect(400);
    expect(response.body.code).toBe(code);
    expect(await count('SELECT count(*) FROM campaigns WHERE name = $1', [body.name])).toBe(0);
  });

  // A time without an offset would be read as UTC: a round at "2026-12-05 10:00" opened at 18:00 in Ningbo.
  it.each([
    ['voucherTypes.0.rounds.0.opensAt', (time: string) => oneVoucherType({ opensAt: time })],
    ['voucherTypes.0.rounds.0.closesAt', (time: string) => oneVoucherType({ opensAt: '2026-12-01T02:00:00Z', closesAt: time })],
    ['validUntil', (time: string) => ({ validUntil: time })],
  ])('refuses %s without an offset, naming the field, and writes nothing', async (field, withTime) => {
    for (const time of ['2026-12-05 10:00', '2026-12-05T10:00:00', '2026-12-05T10:00:00.000']) {
      const body = campaignBody(withTime(time));
      const response = await post('/v1/admin/campaigns', body).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.problems).toEqual([expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')} must be a date-time with an offset`))]);
      expect(await count('SELECT count(*) FROM campaigns WHERE name = $1', [body.name])).toBe(0);
    }
  });

  it('takes times with an offset as the instants they name, and lists them back in UTC', async () => {
    const { body } = await post(
      '/v1/admin/campaigns',
      campaignBody({
        validUntil: '2026-12-31T23:59:59+08:00',
        ...oneVoucherType({ opensAt: '2026-12-05T10:00:00+08:00', closesAt: '2026-12-05T12:30:00.500+08:00' }),
      }),
    ).expect(201);
    await post(`/v1/admin/campaigns/${body.id}/transitions`, { to: 'scheduled' }).expect(200);
    const { items } = (await request(app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200)).body as {
      items: Array<{ id: string; validUntil: string; voucherTypes: Array<{ rounds: Array<{ opensAt: string; closesAt: string }> }> }>;
    };
    const campaign = items.find((c) => c.id === body.id);
    expect(campaign?.validUntil).toBe('2026-12-31T15:59:59.000Z');
    expect(campaign?.voucherTypes[0].rounds[0]).toMatchObject({ opensAt: '2026-12-05T02:00:00.000Z', closesAt: '2026-12-05T04:30:00.500Z' });
  });

  it('says in /docs that each date-time of a campaign needs its offset', async () => {
    const { schemas } = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body.components;
    const described = [schemas.RoundDto.properties.opensAt, schemas.RoundDto.properties.closesAt, schemas.CreateCampaignDto.properties.validUntil];
    for (const property of described) {
      expect(property).toMatchObject({ type: 'string', format: 'date-time', description: expect.stringContaining('Must carry its offset, e.g. 2026-12-05T10:00:00+08:00') });
      expect(property.example).toMatch(/\+08:00$/);
    }
  });

  it('refuses a request with no body at all with a 400, not a 500, and writes nothing', async () => {
    const before = await count('SELECT count(*) FROM campaigns');
    const response = await request(app.getHttpServer()).post('/v1/admin/campaigns').set(official);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await count('SELECT count(*) FROM campaigns')).toBe(before);
  });

  it('refuses a transition to an unknown state, an id that is not a UUID, and an unknown field, moving nothing', async () => {
    const { body } = await post('/v1/admin/campaigns', campaignBody()).expect(201);
    const transitions = `/v1/admin/campaigns/${body.id}/transitions`;
    expect((await post(transitions, { to: 'launched' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await post(transitions, { to: 'scheduled', surprise: true }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    // A path id that is not a UUID fails ParseUUIDPipe, not class-validator, so it answers the generic 400 code.
    expect((await post('/v1/admin/campaigns/abc/transitions', { to: 'scheduled' }).expect(400)).body.code).toBe('MALFORMED_REQUEST');
    expect(await count(`SELECT count(*) FROM campaigns WHERE public_id = $1 AND status = 'draft'`, [body.id])).toBe(1);
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'campaign.transition' AND target_id = $1`, [body.id])).toBe(0);
  });

  it.each([
    ['a NUL character', '\u0000'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udfff'],
  ])('refuses text holding %s with a 400, not a database error or text stored otherwise', async (_what, bad) => {
    const marker = `unstorable ${randomBytes(3).toString('hex')}`;
    const typeName = campaignBody().voucherTypes.map((type, i) => (i === 0 ? { ...type, name: `x${bad}` } : type));
    for (const body of [campaignBody({ name: `${marker}${bad}` }), campaignBody({ name: marker, voucherTypes: typeName })]) {
      expect((await post('/v1/admin/campaigns', body).expect(400)).body.code).toBe('MALFORMED_REQUEST');
    }
    expect(await count('SELECT count(*) FROM campaigns WHERE name LIKE $1', [`${marker}%`])).toBe(0);
    // The smallest campaign: the test program's budget is shared by every test of the file.
    const { body } = await post('/v1/admin/campaigns', { ...campaignBody(), ...oneVoucherType(), budgetFen: 10 }).expect(201);
    await post(`/v1/admin/campaigns/${body.id}/transitions`, { to: 'scheduled', reason: `a${bad}b` }).expect(400);
    expect(await count(`SELECT count(*) FROM campaigns WHERE public_id = $1 AND status = 'draft'`, [body.id])).toBe(1);
    expect((await request(app.getHttpServer()).get('/v1/campaigns?cursor=%00').expect(400)).body.code).toBe('MALFORMED_REQUEST');
  });

  it("keeps all campaigns together within the program's annual budget", async () => {
    const [{ total }] = (await audit.query('SELECT COALESCE(sum(budget_fen), 0) AS total FROM campaigns')).rows;
    const room = PROGRAM_BUDGET_FEN - Number(total);
    const tooMuch = campaignBody({ budgetFen: room + 1 });
    const refused = await post('/v1/admin/campaigns', tooMuch).expect(400);
    expect(refused.body.code).toBe('PROGRAM_BUDGET_EXCEEDED');
    // Two campaigns that each fit but not together, created at once: exactly one lands.
    const half = Math.floor(room / 2) + 1;
    const both = await Promise.all([post('/v1/admin/campaigns', campaignBody({ budgetFen: half })), post('/v1/admin/campaigns', campaignBody({ budgetFen: half }))]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 400]);
  });

  it('lets a district official work only in their district, and nobody else', async () => {
    const haishu = bearer(tokenFor({ role: Role.CommerceOfficial, district: 'haishu' }));
    const refused = await post('/v1/admin/campaigns', campaignBody({ districts: ['cixi'] }), haishu).expect(403);
    expect(refused.body.code).toBe('OUTSIDE_OFFICIAL_DISTRICT');
    const wholeCity = campaignBody({ districts: [] });
    expect((await post('/v1/admin/campaigns', wholeCity, haishu).expect(403)).body.code).toBe('OUTSIDE_OFFICIAL_DISTRICT');
    expect(await count('SELECT count(*) FROM campaigns WHERE name = $1', [wholeCity.name])).toBe(0);
    await post('/v1/admin/campaigns', campaignBody({ districts: ['haishu'], cityShareBp: undefined }), haishu).expect(201);
    const cityWide = await post('/v1/admin/campaigns', campaignBody()).expect(201);
    const hidden = await post(`/v1/admin/campaigns/${cityWide.body.id}/transitions`, { to: 'scheduled' }, haishu).expect(404);
    expect(hidden.body.code).toBe('CAMPAIGN_NOT_FOUND');
    for (const role of [Role.FinanceOfficial, Role.Auditor, Role.Resident]) {
      await post('/v1/admin/campaigns', campaignBody(), bearer(tokenFor({ role }))).expect(403);
    }
  });

  it("leaves the city's share of a district campaign to the city: a district official names none and gets the city setting", async () => {
    const haishuOfficial = newPublicId();
    const haishu = bearer(tokenFor({ sub: haishuOfficial, role: Role.CommerceOfficial, district: 'haishu' }));
    const shareOf = async (id: string) => Number((await audit.query('SELECT city_share_bp FROM campaigns WHERE public_id = $1', [id])).rows[0].city_share_bp);
    // Any share a district official names is refused, the whole subsidy on the city or exactly the setting, and nothing is created.
    for (const cityShareBp of [10_000, DISTRICT_CAMPAIGN_CITY_SHARE_BP, 0]) {
      const body = campaignBody({ districts: ['haishu'], cityShareBp });
      const refused = await post('/v1/admin/campaigns', body, haishu).expect(403);
      expect(refused.body.code).toBe('CITY_SHARE_SET_BY_CITY');
      expect(await count('SELECT count(*) FROM campaigns WHERE name = $1', [body.name])).toBe(0);
    }
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'campaign.create' AND actor_id = $1`, [haishuOfficial])).toBe(0);

    const created = await post('/v1/admin/campaigns', campaignBody({ districts: ['haishu'], cityShareBp: undefined }), haishu).expect(201);
    expect(created.body).toEqual({ id: created.body.id, cityShareBp: DISTRICT_CAMPAIGN_CITY_SHARE_BP });
    expect(await shareOf(created.body.id)).toBe(DISTRICT_CAMPAIGN_CITY_SHARE_BP);
    const [entry] = (await audit.query(`SELECT detail FROM audit_log WHERE action = 'campaign.create' AND target_id = $1`, [created.body.id])).rows;
    expect(entry.detail).toMatchObject({ cityShareBp: DISTRICT_CAMPAIGN_CITY_SHARE_BP, cityShareFrom: 'city_setting' });

    // A city-wide official sets the share of any campaign, a district's included, and must name it.
    const cityDecides = await post('/v1/admin/campaigns', campaignBody({ districts: ['haishu'], cityShareBp: 10_000 })).expect(201);
    expect(cityDecides.body.cityShareBp).toBe(10_000);
    expect(await shareOf(cityDecides.body.id)).toBe(10_000);
    const unnamed = campaignBody({ cityShareBp: undefined });
    expect((await post('/v1/admin/campaigns', unnamed).expect(400)).body.code).toBe('CITY_SHARE_REQUIRED');
    expect(await count('SELECT count(*) FROM campaigns WHERE name = $1', [unnamed.name])).toBe(0);
  });

  it('moves through the allowed states only, auditing each move', async () => {
    const { body } = await post('/v1/admin/campaigns', campaignBody()).expect(201);
    const move = (to: string) => post(`/v1/admin/campaigns/${body.id}/transitions`, { to, reason: `to ${to}` });
    expect((await move('active')).body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'draft', to: 'active' } });
    for (const to of ['scheduled', 'active', 'paused', 'active', 'ended']) {
      expect((await move(to).expect(200)).body.status).toBe(to);
    }
    for (const to of ['active', 'paused', 'scheduled', 'draft']) expect((await move(to)).status).toBe(409);
    const moves = await audit.query(
      `SELECT detail->>'from' AS "from", detail->>'to' AS "to", actor_role FROM audit_log WHERE action = 'campaign.transition' AND target_id = $1 ORDER BY id`,
      [body.id],
    );
    expect(moves.rows.map((m) => `${m.from}>${m.to}`)).toEqual(['draft>scheduled', 'scheduled>active', 'active>paused', 'paused>active', 'active>ended']);
    expect(moves.rows.every((m) => m.actor_role === 'commerce_official')).toBe(true);
    expect((await post(`/v1/admin/campaigns/01900000-0000-7000-8000-000000000000/transitions`, { to: 'scheduled' })).status).toBe(404);
  });

  it('lists published campaigns for residents without sign-in, with live remaining stock', async () => {
    const { body } = await post('/v1/admin/campaigns', campaignBody()).expect(201);
    const listed = async () => (await request(app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200)).body.items as Array<{ id: string; voucherTypes: Array<{ rounds: Array<{ quantity: number; remaining: number }> }> }>;
    expect((await listed()).map((c) => c.id)).not.toContain(body.id);
    await post(`/v1/admin/campaigns/${body.id}/transitions`, { to: 'scheduled' }).expect(200);
    const campaign = (await listed()).find((c) => c.id === body.id);
    expect(campaign?.voucherTypes.flatMap((t) => t.rounds).map((r) => [r.quantity, r.remaining])).toEqual([
      [50, 50],
      [10, 10],
    ]);
  });

  it('lists the remaining stock of an open round as residents grab it', async () => {
    const opensAt = new Date(Date.now() - 60_000).toISOString();
    const { body } = await post('/v1/admin/campaigns', campaignBody({ voucherTypes: [{ name: '满40减10', faceValueFen: 1000, thresholdFen: 4000, rounds: [{ opensAt, quantity: 5 }] }] })).expect(201);
    for (const to of ['scheduled', 'active']) await post(`/v1/admin/campaigns/${body.id}/transitions`, { to }).expect(200);
    const roundsOf = async () => {
      const { items } = (await request(app.getHttpServer()).get('/v1/campaigns?limit=200').expect(200)).body as {
        items: Array<{ id: string; voucherTypes: Array<{ rounds: Array<{ id: string; quantity: number; remaining: number }> }> }>;
      };
      return items.find((c) => c.id === body.id)?.voucherTypes.flatMap((t) => t.rounds) ?? [];
    };
    const [round] = await roundsOf();
    expect(round).toMatchObject({ quantity: 5, remaining: 5 });
    // Two verified residents, inserted as test/support/residents.ts does (it takes a DataSource; this file has a pg Client).
    const residents = [newPublicId(), newPublicId()];
    await audit.query(
      `INSERT INTO residents (public_id, phone, real_name, id_number_masked, verified_at)
       SELECT id, '19' || lpad(($2::bigint + n)::text, 9, '0'), '测试', '330203********0000', now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [residents, randomInt(10_000_000, 90_000_000) * 10],
    );
    for (const sub of residents) {
      const token = tokenFor({ sub, role: Role.Resident, verified: true });
      await request(app.getHttpServer()).post(`/v1/rounds/${round.id}/claims`).set(bearer(token)).expect(201);
    }
    expect(await count('SELECT count(*) FROM vouchers v JOIN rounds r ON r.id = v.round_id WHERE r.public_id = $1', [round.id])).toBe(2);
    expect((await roundsOf()).map((r) => [r.quantity, r.remaining])).toEqual([[5, 3]]);
  });
});
