import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { creditCodeCheckChar, newPublicId } from '@vouchers/common';
import { Client } from 'pg';
import request from 'supertest';
import { bootAppOnFreshDatabase, FreshApp } from './support/fresh-database';
import { bearer, tokenFor } from './support/tokens';

interface Shop {
  name: string;
  district: string;
  category: string;
  status: string;
  at?: [number, number];
}

/** The Drum Tower (鼓楼) in Haishu, a point to measure from; a degree of latitude is ~111 km. */
const GULOU: [number, number] = [29.8737, 121.5442];

const SHOPS: Shop[] = [
  { name: '甬城汤团店', district: 'haishu', category: 'dining', status: 'approved', at: [29.8747, 121.5442] }, // ~110 m
  { name: '甬城面馆', district: 'haishu', category: 'dining', status: 'approved', at: [29.8937, 121.5442] }, // ~2.2 km
  { name: '江北超市', district: 'jiangbei', category: 'retail', status: 'approved', at: [29.8837, 121.5442] }, // ~1.1 km
  { name: '江北无坐标店', district: 'jiangbei', category: 'dining', status: 'approved' },
  { name: '甬城待审店', district: 'haishu', category: 'dining', status: 'pending', at: [29.8737, 121.5443] },
  { name: '甬城停业店', district: 'haishu', category: 'dining', status: 'suspended', at: [29.8737, 121.5443] },
  { name: '慈溪饭店', district: 'cixi', category: 'dining', status: 'approved', at: [29.8738, 121.5442] },
  { name: '海曙体育', district: 'haishu', category: 'sports', status: 'approved', at: [29.8738, 121.5442] },
  { name: '100%_折扣', district: 'haishu', category: 'retail', status: 'approved' },
];

describe('merchant listings', () => {
  let fresh: FreshApp;
  let app: NestFastifyApplication;
  let db: Client;
  const campaign = newPublicId();
  const draft = newPublicId();
  const official = bearer(tokenFor({ role: Role.CommerceOfficial }));
  const get = (path: string, headers: Record<string, string> = official) => request(app.getHttpServer()).get(path).set(headers);
  const names = (body: { items: Array<{ shopName: string }> }) => body.items.map((m) => m.shopName);

  beforeAll(async () => {
    fresh = await bootAppOnFreshDatabase('merchant');
    ({ app, db } = fresh);
    for (const [i, shop] of SHOPS.entries()) {
      const first17 = `91330200MA2L${String(i).padStart(5, '0')}`;
      await db.query(
        `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, latitude, longitude, status)
         VALUES ($1, $2, $3, $3, $4, $5, 'somewhere', $6, $7, $8)`,
        [newPublicId(), first17 + creditCodeCheckChar(first17), shop.name, shop.district, shop.category, shop.at?.[0] ?? null, shop.at?.[1] ?? null, shop.status],
      );
    }
    for (const [id, status] of [
      [campaign, 'active'],
      [draft, 'draft'],
    ]) {
      await db.query(
        `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, status)
         VALUES ($1, 'listing test', '{dining,retail}', '{haishu,jiangbei}', 100000, 5000, 7, 1, $2)`,
        [id, status],
      );
    }
  });

  afterAll(async () => {
    await fresh.close();
  });

  describe("the officials' listing", () => {
    it('filters by district, category, status and name prefix', async () => {
      expect(names((await get('/v1/merchants?district=jiangbei').expect(200)).body).sort()).toEqual(['江北无坐标店', '江北超市']);
      expect(names((await get('/v1/merchants?district=haishu&category=dining&status=approved').expect(200)).body).sort()).toEqual([
        '甬城汤团店',
        '甬城面馆',
      ]);
      expect(names((await get(`/v1/merchants?namePrefix=${encodeURIComponent('甬城')}`).expect(200)).body)).toHaveLength(4);
      // % and _ in a prefix are letters, not wildcards.
      expect(names((await get(`/v1/merchants?namePrefix=${encodeURIComponent('100%_')}`).expect(200)).body)).toEqual(['100%_折扣']);
      expect((await get(`/v1/merchants?namePrefix=${encodeURIComponent('%')}`).expect(200)).body.items).toEqual([]);
    });

    it('pages in a stable order, each merchant once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await get(
          `/v1/merchants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...page.body.items.map((m) => m.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(SHOPS.length);
      expect([...seen].sort()).toEqual(seen);
    });
  });

  describe("the residents' listing of where a campaign's vouchers work", () => {
    it("shows approved merchants in the campaign's scope, nearest first", async () => {
      const response = await request(app.getHttpServer())
        .get(`/v1/public/merchants?campaignId=${campaign}&lat=${GULOU[0]}&lng=${GULOU[1]}`)
        .expect(200);
      const listed = names(response.body);
      expect(listed.slice(0, 3)).toEqual(['甬城汤团店', '江北超市', '甬城面馆']);
      // Then the ones without coordinates, in id order; never pending, suspended, out of scope.
      expect(new Set(listed.slice(3))).toEqual(new Set(['100%_折扣', '江北无坐标店']));
      const distances = response.body.items.map((m: { distanceM: number | null }) => m.distanceM);
      expect(distances[0]).toBeGreaterThan(80);
      expect(distances[0]).toBeLessThan(140);
      expect(distances[1]).toBeGreaterThan(1000);
      expect(distances[1]).toBeLessThan(1250);
      expect(distances.slice(3)).toEqual([null, null]);
    });

    it('pages nearest-first with a cursor, and narrows by district and category', async () => {
      const first = await request(app.getHttpServer())
        .get(`/v1/public/merchants?campaignId=${campaign}&lat=${GULOU[0]}&lng=${GULOU[1]}&limit=2`)
        .expect(200);
      const second = await request(app.getHttpServer())
        .get(`/v1/public/merchants?campaignId=${campaign}&lat=${GULOU[0]}&lng=${GULOU[1]}&limit=2&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect([...names(first.body), ...names(second.body)].slice(0, 3)).toEqual(['甬城汤团店', '江北超市', '甬城面馆']);
      const haishuDining = await request(app.getHttpServer())
        .get(`/v1/public/merchants?campaignId=${campaign}&district=haishu&category=dining`)
        .expect(200);
      expect(names(haishuDining.body).sort()).toEqual(['甬城汤团店', '甬城面馆']);
    });

    it('refuses half a point, an unpublished or unknown campaign, and a forged cursor', async () => {
      const bad = await request(app.getHttpServer()).get(`/v1/public/merchants?campaignId=${campaign}&lat=29.8`).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await request(app.getHttpServer()).get(`/v1/public/merchants?campaignId=${draft}`).expect(404);
      await request(app.getHttpServer()).get(`/v1/public/merchants?campaignId=${newPublicId()}`).expect(404);
      const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
      const cursor = await request(app.getHttpServer()).get(`/v1/public/merchants?campaignId=${campaign}&cursor=${forged}`).expect(400);
      expect(cursor.body.code).toBe('INVALID_CURSOR');
    });
  });
});
