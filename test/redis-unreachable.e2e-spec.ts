import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MERCHANT_CSV_HEADER } from '../apps/merchant/src/bulk/merchant-csv';
import { PrivateRedis } from '../scripts/chaos/private-redis';
import { bootApp } from './support/apps';
import { SIGN_IN_CONSENT } from './support/consents';
import { openTestDatabase } from './support/database';
import { commerceOfficial, decide, insertMerchantWithStaff, randomPhoneStarting } from './support/merchant-accounts';
import { bearer } from './support/tokens';

jest.setTimeout(120_000);

/** Routes that need Redis, with it unreachable: 503 with Retry-After, in the common shape, and nothing written. */
describe('routes that need Redis, with Redis unreachable', () => {
  let issuance: NestFastifyApplication;
  let merchant: NestFastifyApplication;
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDatabase();
    // Port 1 on loopback: nothing listens, so every connection attempt is refused.
    [issuance, merchant] = await Promise.all([
      bootApp('issuance', { REDIS_URL: 'redis://127.0.0.1:1' }),
      bootApp('merchant', { REDIS_URL: 'redis://127.0.0.1:1' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([issuance?.close(), merchant?.close(), db?.destroy()]);
  });

  const expectUnavailable = (response: request.Response) => {
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.any(String),
      requestId: expect.any(String),
      details: { retryAfterSeconds: 2 },
    });
    expect(response.headers['retry-after']).toBe('2');
  };

  it('answers a resident asking for a sign-in code 503 SERVICE_UNAVAILABLE', async () => {
    expectUnavailable(await request(issuance.getHttpServer()).post('/v1/auth/otp').send({ phone: randomPhoneStarting('13'), ...SIGN_IN_CONSENT }));
  });

  it("answers an official's suspension 503 and leaves the merchant approved", async () => {
    const { merchantId } = await insertMerchantWithStaff(db);
    expectUnavailable(await decide(merchant, merchantId, 'suspended'));
    const [row] = await db.query('SELECT status FROM merchants WHERE public_id = $1', [merchantId]);
    expect(row.status).toBe('approved');
    const audit = await db.query(`SELECT 1 FROM audit_log WHERE target_id = $1`, [merchantId]);
    expect(audit).toEqual([]);
  });

  it('answers an import that moves an approved merchant 503 and leaves it where it was', async () => {
    const { merchantId } = await insertMerchantWithStaff(db, { district: 'haishu' });
    const [{ credit_code: code }] = await db.query('SELECT credit_code FROM merchants WHERE public_id = $1', [merchantId]);
    const file = `${MERCHANT_CSV_HEADER}\n${code},搬家有限公司,搬家小馆,jiangbei,dining,江北区人民路1号,,,,,,\n`;
    const response = await request(merchant.getHttpServer())
      .post('/v1/merchants/import')
      .set(bearer(commerceOfficial()))
      .set('content-type', 'text/csv')
      .send(file);
    expectUnavailable(response);
    const [row] = await db.query('SELECT district, shop_name FROM merchants WHERE public_id = $1', [merchantId]);
    expect(row).toEqual({ district: 'haishu', shop_name: '测试小馆' });
  });

  it('says so in /docs for those routes', async () => {
    const issuanceDocs = (await request(issuance.getHttpServer()).get('/docs-json').expect(200)).body;
    const merchantDocs = (await request(merchant.getHttpServer()).get('/docs-json').expect(200)).body;
    const codesAt503 = (operation: { responses: Record<string, { content?: Record<string, { schema: { allOf: Array<{ properties?: { code?: { enum?: string[] } } }> } }> }> }) =>
      operation.responses['503']?.content?.['application/json'].schema.allOf[1].properties?.code?.enum ?? [];
    expect(codesAt503(issuanceDocs.paths['/v1/auth/otp'].post)).toContain('SERVICE_UNAVAILABLE');
    expect(codesAt503(issuanceDocs.paths['/v1/me/vouchers/{voucherId}/code'].post)).toContain('SERVICE_UNAVAILABLE');
    expect(codesAt503(merchantDocs.paths['/v1/merchants/{merchantId}/decisions'].post)).toContain('SERVICE_UNAVAILABLE');
    expect(codesAt503(merchantDocs.paths['/v1/merchants/import'].post)).toContain('SERVICE_UNAVAILABLE');
  });
});

/**
 * A Redis that dies while the app is up: a command sent while it is gone fails at once (the
 * client's offline queue would have held it through reconnect attempts, 7-9 s here, the
 * merchant's row locked meanwhile), and the app follows Redis when it is back.
 */
describe('routes that need Redis, with Redis gone after the app was up', () => {
  let redis: PrivateRedis;
  let merchant: NestFastifyApplication;
  let db: DataSource;

  beforeAll(async () => {
    redis = await PrivateRedis.startEmpty();
    db = await openTestDatabase();
    merchant = await bootApp('merchant', { REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await Promise.all([merchant?.close(), db?.destroy()]);
    await redis?.stop();
  });

  it("answers an official's suspension 503 within seconds, and suspends once Redis is back", async () => {
    const { merchantId } = await insertMerchantWithStaff(db);
    await redis.kill();
    const startedAt = Date.now();
    const refused = await decide(merchant, merchantId, 'suspended');
    // Well inside the 7-9 s the offline queue held this request, through reconnect attempts.
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect([refused.status, refused.body.code, refused.headers['retry-after']]).toEqual([503, 'SERVICE_UNAVAILABLE', '2']);
    const [row] = await db.query('SELECT status FROM merchants WHERE public_id = $1', [merchantId]);
    expect(row.status).toBe('approved');

    await redis.start();
    let answer = await decide(merchant, merchantId, 'suspended');
    for (let tries = 0; answer.status === 503 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await decide(merchant, merchantId, 'suspended');
    }
    expect(answer.status).toBe(201);
    const [after] = await db.query('SELECT status FROM merchants WHERE public_id = $1', [merchantId]);
    expect(after.status).toBe('suspended');
  });
});
