import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { AppName } from '@vouchers/http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { bootAppOnFreshDatabase, FreshApp } from './support/fresh-database';
import { insertMerchantWithStaff, MerchantWithStaff } from './support/merchant-accounts';
import { bearer, tokenFor } from './support/tokens';

/**
 * Every listing that takes a cursor, with cursors a client forged: parts of the right JSON type
 * but out of the range of the column they reach (an int past 2^31, a fraction, 1e20, the year
 * 0). Each must be refused as INVALID_CURSOR, as the same value given as a parameter would be,
 * never reach Postgres and fail there as a 500.
 */
const forge = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

const id = '01900000-0000-7000-8000-000000000001';
/** Merchant-side listings read the caller's staff row: this file's merchant and staff, made in beforeAll. */
let staff: MerchantWithStaff;
/** A published campaign, so the residents' merchant listing gets as far as its query. */
const campaignId = newPublicId();
const FORGED_IDS = [[1e20], [1.5], [2147483648], ['0000-01-01'], ['not-a-uuid'], [id, id], [{ id }]];
const FORGED_DAYS = [['0000-01-01'], ['9999-99-99'], ['2026-02-30'], [1e20], [20261127], ['2026-11-27', 1]];
const FORGED_DISTANCES = [[1e20, id], [1.5, id], [2147483648, id], [-1, id], ['0000-01-01', id], [12, 'not-a-uuid'], [id, 12]];

interface Listing {
  app: AppName;
  path: string;
  headers: () => Record<string, string>;
  forged: unknown[][];
}

const LISTINGS: Listing[] = [
  { app: 'issuance', path: '/v1/campaigns', headers: () => ({}), forged: FORGED_IDS },
  { app: 'issuance', path: '/v1/admin/campaigns', headers: () => bearer(tokenFor({ role: Role.CommerceOfficial })), forged: FORGED_IDS },
  { app: 'issuance', path: '/v1/me/vouchers', headers: () => bearer(tokenFor({ role: Role.Resident, verified: true })), forged: FORGED_IDS },
  { app: 'merchant', path: '/v1/merchants', headers: () => bearer(tokenFor({ role: Role.CommerceOfficial })), forged: FORGED_IDS },
  { app: 'merchant', path: `/v1/public/merchants?campaignId=${campaignId}`, headers: () => ({}), forged: FORGED_DISTANCES },
  {
    app: 'merchant',
    path: `/v1/public/merchants?campaignId=${campaignId}&lat=29.87&lng=121.54`,
    headers: () => ({}),
    forged: FORGED_DISTANCES,
  },
  { app: 'merchant', path: '/v1/merchant/staff', headers: () => bearer(staff.adminToken), forged: FORGED_IDS },
  { app: 'redemption', path: '/v1/redemptions', headers: () => bearer(staff.cashierToken), forged: FORGED_IDS },
  { app: 'redemption', path: '/v1/refunds', headers: () => bearer(staff.adminToken), forged: FORGED_IDS },
  { app: 'settlement', path: '/v1/settlement/batches', headers: () => bearer(tokenFor({ role: Role.FinanceOfficial })), forged: FORGED_DAYS },
  {
    app: 'settlement',
    path: `/v1/settlement/batches/${id}/lines`,
    headers: () => bearer(tokenFor({ role: Role.FinanceOfficial })),
    forged: FORGED_IDS,
  },
  { app: 'settlement', path: '/v1/audit/entries', headers: () => bearer(tokenFor({ role: Role.Auditor })), forged: FORGED_IDS },
  { app: 'settlement', path: '/v1/officials', headers: () => bearer(tokenFor({ role: Role.OfficialAdmin })), forged: FORGED_IDS },
  {
    app: 'settlement',
    path: '/v1/merchant/statements',
    headers: () => bearer(staff.adminToken),
    forged: FORGED_DAYS,
  },
];

describe.each(['issuance', 'merchant', 'redemption', 'settlement'] as AppName[])('forged cursors on the %s app', (name) => {
  let app: NestFastifyApplication;
  let fresh: FreshApp | undefined;

  beforeAll(async () => {
    if (name !== 'merchant') {
      app = await bootApp(name);
      staff = await insertMerchantWithStaff(app.get(DataSource));
    } else {
      // A database of its own: the campaign it adds is seen by no other test file.
      fresh = await bootAppOnFreshDatabase(name);
      app = fresh.app;
      await fresh.db.query(
        `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
         VALUES ($1, 'forged cursors', '{dining}', '{}', 100000, 5000, 7, 1, 'scheduled')`,
        [campaignId],
      );
      staff = await insertMerchantWithStaff(app.get(DataSource));
    }
  });

  afterAll(async () => {
    await (fresh ? fresh.close() : app.close());
  });

  it.each(LISTINGS.filter((listing) => listing.app === name).map((listing) => [listing.path, listing] as const))(
    '%s refuses every forged cursor with 400 INVALID_CURSOR',
    async (_path, listing) => {
      const answers: Array<[string, number, string]> = [];
      for (const key of listing.forged) {
        const separator = listing.path.includes('?') ? '&' : '?';
        const response = await request(app.getHttpServer()).get(`${listing.path}${separator}cursor=${forge(key)}`).set(listing.headers());
        answers.push([JSON.stringify(key), response.status, response.body.code]);
      }
      expect(answers).toEqual(listing.forged.map((key) => [JSON.stringify(key), 400, 'INVALID_CURSOR']));
    },
  );

  it('still follows a cursor it issued', async () => {
    const listing = LISTINGS.find((candidate) => candidate.app === name) as Listing;
    const key = listing.forged === FORGED_DAYS ? ['2026-11-27'] : listing.forged === FORGED_DISTANCES ? [12, id] : [id];
    const separator = listing.path.includes('?') ? '&' : '?';
    const response = await request(app.getHttpServer()).get(`${listing.path}${separator}cursor=${forge(key)}`).set(listing.headers());
    expect(response.status).toBe(200);
  });
});
