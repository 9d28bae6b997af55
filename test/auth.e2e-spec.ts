import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { openTestDatabase } from './support/database';
import { bearer, tokenFor, unsignedToken } from './support/tokens';

/** The merchant registry listing stands in for every guarded route: same guards everywhere. */
describe('access tokens and roles', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  // Every listing is narrowed to this file's shops, so merchants other files write don't count.
  const shop = `AuthTest${newPublicId().slice(-8)}`;
  const list = (headers: Record<string, string>, query = '') =>
    request(app.getHttpServer()).get(`/v1/merchants${query}${query ? '&' : '?'}namePrefix=${shop}`).set(headers);

  beforeAll(async () => {
    app = await bootApp('merchant');
    db = await openTestDatabase();
    const code = (n: number) => `AUTHTEST${String(n).padStart(10, '0')}`;
    for (const [n, district] of [
      [1, 'haishu'],
      [2, 'haishu'],
      [3, 'cixi'],
    ] as const) {
      await db.query(
        `INSERT INTO merchants (public_id, credit_code, registered_name, shop_name, district, category, address, status)
         VALUES ($1, $2, 'Test Co', $4, $3, 'dining', 'Test road', 'approved')`,
        [newPublicId(), code(n), district, `${shop} ${n}`],
      );
    }
  });

  afterAll(async () => {
    await db.query(`DELETE FROM merchants WHERE credit_code LIKE 'AUTHTEST%'`);
    await db.destroy();
    await app.close();
  });

  it('refuses a request without a token', async () => {
    const response = await list({}).expect(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned token (alg none)', async () => {
    await list(bearer(unsignedToken({ sub: newPublicId(), role: Role.CommerceOfficial }))).expect(401);
  });

  it('refuses a token signed with another key', async () => {
    const forged = tokenFor({ role: Role.CommerceOfficial }, { secret: 'an-attacker-secret-that-is-long-enough-000' });
    await list(bearer(forged)).expect(401);
  });

  it('refuses an expired token', async () => {
    await list(bearer(tokenFor({ role: Role.CommerceOfficial }, { expiresIn: -10 }))).expect(401);
  });

  it('refuses a token whose claims do not fit its role', async () => {
    await list(bearer(tokenFor({ role: Role.MerchantAdmin }))).expect(401);
    await list(bearer(tokenFor({ role: Role.Resident, district: 'haishu' }))).expect(401);
    await list(bearer(tokenFor({ role: 'mayor' as Role }))).expect(401);
  });

  it('refuses a valid token of another role with 403', async () => {
    const response = await list(bearer(tokenFor({ role: Role.Resident }))).expect(403);
    expect(response.body.code).toBe('FORBIDDEN');
    await list(bearer(tokenFor({ role: Role.MerchantAdmin, merchantId: newPublicId() }))).expect(403);
    await list(bearer(tokenFor({ role: Role.FinanceOfficial }))).expect(403);
  });

  it('lets a city-wide commerce official and an auditor read every district', async () => {
    for (const role of [Role.CommerceOfficial, Role.Auditor]) {
      const response = await list(bearer(tokenFor({ role }))).expect(200);
      const districts = response.body.items.map((m: { district: string }) => m.district).sort();
      expect(districts).toEqual(['cixi', 'haishu', 'haishu']);
    }
  });

  it('keeps a district official inside their district', async () => {
    const haishu = bearer(tokenFor({ role: Role.CommerceOfficial, district: 'haishu' }));
    const own = await list(haishu).expect(200);
    expect(own.body.items).toHaveLength(2);
    expect(own.body.items.every((m: { district: string }) => m.district === 'haishu')).toBe(true);
    const other = await list(haishu, '?district=cixi').expect(403);
    expect(other.body.code).toBe('FORBIDDEN');
  });

  it('pages through merchants with a keyset cursor, each once', async () => {
    const token = bearer(tokenFor({ role: Role.CommerceOfficial }));
    const first = await list(token, '?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(token, `?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(3);
  });
});
