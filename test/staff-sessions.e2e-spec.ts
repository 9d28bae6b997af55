import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CheckoutRig } from './support/checkout';
import {
  claimsOf,
  decide,
  deleteKeys,
  MerchantAppRig,
  merchantCode,
  openMerchantApp,
  phoneBook,
  registerMerchant,
  TestRedis,
} from './support/merchant-accounts';
import { OneTimeCodes, otpKeysFor } from '@vouchers/otp';
import { bearer } from './support/tokens';
import { SIGN_IN_CONSENT } from './support/consents';

/** Numbers starting 14 are this file's. */
const { randomPhone, usedPhones } = phoneBook('14');
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const SHIFT_MS = 43_200_000;

interface StaffSession {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  sessionExpiresAt: string;
  staff: { id: string; role: string; active: boolean };
  merchant: { id: string; status: string };
}

/**
 * Staff sessions: a cashier signs in once a shift and the till refreshes its access token
 * with a rotating refresh token; disabling the cashier ends everything of theirs at once.
 */
describe('staff sessions: refresh tokens for cashiers and merchant admins', () => {
  let rig: MerchantAppRig;
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: TestRedis;
  const till = new CheckoutRig();
  const api = () => request(app.getHttpServer());
  const refresh = (refreshToken: string) => api().post('/v1/merchant-auth/refresh').send({ refreshToken });
  const logout = (refreshToken: string) => api().post('/v1/merchant-auth/logout').send({ refreshToken });
  const disable = (adminToken: string, staffId: string) => api().post(`/v1/merchant/staff/${staffId}/disable`).set(bearer(adminToken));
  const me = (token: string) => api().get('/v1/merchant/me').set(bearer(token));

  async function signIn(phone: string): Promise<StaffSession> {
    const code = await merchantCode(app, redis, phone);
    return (await api().post('/v1/merchant-auth/otp/verify').send({ phone, code }).expect(200)).body as StaffSession;
  }

  /** A registered (pending) merchant and one cashier of it, signed in. */
  async function cashierSession(): Promise<{ adminToken: string; merchantId: string; phone: string; session: StaffSession }> {
    const merchant = await registerMerchant(app, redis, { phone: randomPhone() });
    const phone = randomPhone();
    await api().post('/v1/merchant/staff').set(bearer(merchant.token)).send({ phone, name: '收银员 周' }).expect(201);
    return { adminToken: merchant.token, merchantId: merchant.id, phone, session: await signIn(phone) };
  }

  const liveSessionsOf = async (staffId: string): Promise<number> => {
    const [{ count }] = await db.query(
      `SELECT count(*)::int AS count FROM refresh_tokens t JOIN merchant_staff s ON s.id = t.account_id
        WHERE t.account_kind = 'staff' AND s.public_id = $1 AND t.revoked_at IS NULL`,
      [staffId],
    );
    return count as number;
  };

  beforeAll(async () => {
    [rig] = await Promise.all([openMerchantApp(usedPhones), till.start()]);
    ({ app, db, redis } = rig);
  });

  afterAll(async () => {
    await Promise.all([rig?.close(), till.stop()]);
  });

  it('signs a cashier in for a shift: an access token and a refresh token stored hashed, of the staff row', async () => {
    const before = Date.now();
    const { merchantId, session } = await cashierSession();
    expect(session).toMatchObject({
      accessToken: expect.any(String),
      expiresInSeconds: 900,
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      staff: { role: 'merchant_staff', active: true },
      merchant: { id: merchantId },
    });
    const ends = Date.parse(session.sessionExpiresAt);
    expect(ends).toBeGreaterThanOrEqual(before + SHIFT_MS - 5_000);
    expect(ends).toBeLessThanOrEqual(Date.now() + SHIFT_MS + 5_000);

    const [row] = await db.query(
      `SELECT t.account_kind, s.public_id AS staff_id FROM refresh_tokens t JOIN merchant_staff s ON s.id = t.account_id WHERE t.token_hash = $1`,
      [sha256(session.refreshToken)],
    );
    expect(row).toEqual({ account_kind: 'staff', staff_id: session.staff.id });
  });

  it('rotates: each refresh gives a new pair of the same session, whose end stays where sign-in set it, and the old token is refused', async () => {
    const { merchantId, session } = await cashierSession();
    const second = (await refresh(session.refreshToken).expect(200)).body as StaffSession;
    expect(second.refreshToken).not.toBe(session.refreshToken);
    expect(second.sessionExpiresAt).toBe(session.sessionExpiresAt);
    expect(second).toMatchObject({ staff: { id: session.staff.id, role: 'merchant_staff' }, merchant: { id: merchantId } });
    expect(claimsOf(second.accessToken)).toMatchObject({ sub: session.staff.id, role: 'merchant_staff', merchantId });
    expect((await me(second.accessToken).expect(200)).body.id).toBe(merchantId);

    const third = (await refresh(second.refreshToken).expect(200)).body as StaffSession;
    const families = await db.query('SELECT DISTINCT session_id FROM refresh_tokens WHERE token_hash = ANY($1)', [
      [session.refreshToken, second.refreshToken, third.refreshToken].map(sha256),
    ]);
    expect(families).toHaveLength(1);
    expect(await liveSessionsOf(session.staff.id)).toBe(1);
  });

  it('treats reuse of a spent token as theft: 401 REFRESH_TOKEN_REVOKED, the family and every other session of the cashier end', async () => {
    const { phone, session: till1 } = await cashierSession();
    const till2 = await signIn(phone);
    const rotated = (await refresh(till1.refreshToken).expect(200)).body as StaffSession;

    expect((await refresh(till1.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    expect((await refresh(rotated.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    expect((await refresh(till2.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
    expect(await liveSessionsOf(till1.staff.id)).toBe(0);
  });

  it('logs out: that session ends, the other sessions of the cashier stay; logging out again is fine', async () => {
    const { phone, session } = await cashierSession();
    const other = await signIn(phone);
    await logout(session.refreshToken).expect(204);
    await refresh(other.refreshToken).expect(200);
    expect(await liveSessionsOf(session.staff.id)).toBe(1);
    await logout(session.refreshToken).expect(204);
    await logout(Buffer.alloc(32, 7).toString('base64url')).expect(204);
    expect((await logout('not-a-token').expect(400)).body.code).toBe('VALIDATION_FAILED');
    // Any token of a session ends it, a spent one too: the session is the family, not the token.
    await logout(other.refreshToken).expect(204);
    expect(await liveSessionsOf(session.staff.id)).toBe(0);
    // A logged-out token that comes back is refused like any revoked one.
    expect((await refresh(session.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');
  });

  it('refuses an unknown token, an expired session, and a malformed body', async () => {
    expect((await refresh(Buffer.alloc(32, 3).toString('base64url')).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
    const { session } = await cashierSession();
    await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(session.refreshToken)]);
    expect((await refresh(session.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_EXPIRED');
    expect((await api().post('/v1/merchant-auth/refresh').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it("keeps kinds apart: a cashier's token refreshes nothing at the residents' app, and a resident's nothing here", async () => {
    const { session } = await cashierSession();
    const residents = (path: string, refreshToken: string) => request(till.issuance.getHttpServer()).post(path).send({ refreshToken });
    expect((await residents('/v1/auth/refresh', session.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
    await residents('/v1/auth/logout', session.refreshToken).expect(204);

    const phone = randomPhone();
    await redis.prefixed.del(otpKeysFor('resident').cooldown(phone));
    await deleteKeys(redis, 'rl:otp*:ip:{*');
    const sent = await request(till.issuance.getHttpServer()).post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT }).expect(202);
    const resident = await request(till.issuance.getHttpServer()).post('/v1/auth/otp/verify').send({ phone, code: sent.body.devCode, ...SIGN_IN_CONSENT }).expect(200);
    expect((await refresh(resident.body.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
    await logout(resident.body.refreshToken).expect(204);

    // Neither attempt spent or ended the other kind's session.
    await refresh(session.refreshToken).expect(200);
    await residents('/v1/auth/refresh', resident.body.refreshToken).expect(200);
  });

  it('disabling a cashier ends their sessions in the same transaction: refresh answers 403 STAFF_INACTIVE', async () => {
    const { adminToken, phone, session } = await cashierSession();
    await signIn(phone);
    expect(await liveSessionsOf(session.staff.id)).toBe(2);
    await disable(adminToken, session.staff.id).expect(200);
    expect(await liveSessionsOf(session.staff.id)).toBe(0);
    expect((await refresh(session.refreshToken).expect(403)).body.code).toBe('STAFF_INACTIVE');
    expect((await me(session.accessToken).expect(403)).body.code).toBe('STAFF_INACTIVE');
  });

  it('checks again at each refresh that the member may still sign in: disabled, or their merchant rejected', async () => {
    const { session } = await cashierSession();
    // Disabled behind the route's back: the refresh itself must notice, and end every session.
    await db.query('UPDATE merchant_staff SET disabled_at = now() WHERE public_id = $1', [session.staff.id]);
    expect((await refresh(session.refreshToken).expect(403)).body.code).toBe('STAFF_INACTIVE');
    expect(await liveSessionsOf(session.staff.id)).toBe(0);

    const rejected = await cashierSession();
    await decide(app, rejected.merchantId, 'rejected').expect(201);
    expect((await refresh(rejected.session.refreshToken).expect(403)).body.code).toBe('NO_MERCHANT_ACCESS');
    expect(await liveSessionsOf(rejected.session.staff.id)).toBe(0);
  });

  it('a sign-in whose code is checked while the cashier is being disabled starts no session, so enabling them brings none back', async () => {
    const { adminToken, phone, session } = await cashierSession();
    const codes = app.get(OneTimeCodes);
    const verify = codes.verify.bind(codes);
    // The disabling commits after this sign-in read the cashier's row and before its session is written.
    const raced = jest.spyOn(codes, 'verify').mockImplementationOnce(async (command) => {
      const verified = await verify(command);
      await disable(adminToken, session.staff.id).expect(200);
      return verified;
    });
    try {
      const code = await merchantCode(app, redis, phone);
      const refused = await api().post('/v1/merchant-auth/otp/verify').send({ phone, code });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('NO_MERCHANT_ACCESS');
    } finally {
      raced.mockRestore();
    }
    expect(await liveSessionsOf(session.staff.id)).toBe(0);
    await api().post(`/v1/merchant/staff/${session.staff.id}/enable`).set(bearer(adminToken)).expect(200);
    expect(await liveSessionsOf(session.staff.id)).toBe(0);
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it("refuses a disabled cashier's live access token at the till at once (403 STAFF_INACTIVE, nothing redeemed)", async () => {
    const shop = await till.till();
    const [{ phone }] = await db.query('SELECT phone FROM merchant_staff WHERE public_id = $1', [shop.cashierId]);
    usedPhones.add(phone);
    const session = await signIn(phone);
    const { resident, voucherId } = await till.voucherFor();
    const code = await till.code(resident, voucherId);

    await disable(shop.adminToken, shop.cashierId).expect(200);
    const scan = await till.scan(shop, code, 5000, till.orderNo(), session.accessToken).expect(403);
    expect(scan.body.code).toBe('STAFF_INACTIVE');
    expect(await till.voucherStatus(voucherId)).toBe('claimed');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const day = await request(till.redemption.getHttpServer()).get(`/v1/redemptions/days/${today}`).set(bearer(session.accessToken));
    expect([day.status, day.body.code]).toEqual([403, 'STAFF_INACTIVE']);
    expect((await refresh(session.refreshToken).expect(403)).body.code).toBe('STAFF_INACTIVE');
  });

  it('refuses at the till a token from before a cashier was disabled and enabled again (401, the code given back); signed in again they redeem', async () => {
    const shop = await till.till();
    // Not among this file's numbers: a merchant with a redemption stays (as every checkout test's till does).
    const [{ phone }] = await db.query('SELECT phone FROM merchant_staff WHERE public_id = $1', [shop.cashierId]);
    const before = await signIn(phone);
    const { resident, voucherId } = await till.voucherFor();
    const code = await till.code(resident, voucherId);

    await disable(shop.adminToken, shop.cashierId).expect(200);
    await api().post(`/v1/merchant/staff/${shop.cashierId}/enable`).set(bearer(shop.adminToken)).expect(200);
    const orderNo = till.orderNo();
    const refused = await till.scan(shop, code, 5000, orderNo, before.accessToken).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect(await till.voucherStatus(voucherId)).toBe('claimed');
    expect((await refresh(before.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');

    // Signed in again, the same code (given back) redeems.
    const after = await signIn(phone);
    await till.scan(shop, code, 5000, orderNo, after.accessToken).expect(201);
    expect(await till.voucherStatus(voucherId)).toBe('redeemed');
  });

  it('describes the staff session routes in /docs', async () => {
    const document = (await api().get('/docs-json').expect(200)).body;
    for (const path of ['/v1/merchant-auth/otp/verify', '/v1/merchant-auth/refresh']) {
      expect(document.paths[path].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StaffSessionView' });
    }
    expect(document.paths['/v1/merchant-auth/logout'].post.responses['204']).toBeDefined();
    expect(document.components.schemas.StaffSessionView.required).toEqual(
      expect.arrayContaining(['accessToken', 'refreshToken', 'expiresInSeconds', 'sessionExpiresAt', 'staff', 'merchant']),
    );
    expect(document.components.schemas.RefreshTokenDto).toBeDefined();
  });
});
