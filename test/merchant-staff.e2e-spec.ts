import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import {
  claimsOf,
  decide,
  MerchantAppRig,
  openMerchantApp,
  merchantCode,
  phoneBook,
  registerMerchant,
  RegisteredMerchant,
  TestRedis,
} from './support/merchant-accounts';
import { bearer, tokenFor } from './support/tokens';
import { SIGN_IN_CONSENT } from './support/consents';

/** Numbers starting 17 are this file's. */
const { randomPhone, usedPhones } = phoneBook('17');
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

interface StaffMember {
  id: string;
  phone: string;
  token: string;
}

describe('merchant staff: sign-in and cashier accounts', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: TestRedis;
  let rig: MerchantAppRig;
  const api = () => request(app.getHttpServer());
  const register = (phone = randomPhone(), body: Record<string, unknown> = {}) => registerMerchant(app, redis, { phone, body });
  const verify = (body: Record<string, unknown>) => api().post('/v1/merchant-auth/otp/verify').send(body);
  const addCashier = (admin: string, body: Record<string, unknown>) => api().post('/v1/merchant/staff').set(bearer(admin)).send(body);
  const listStaff = (token: string, query = '') => api().get(`/v1/merchant/staff${query}`).set(bearer(token));
  const disable = (token: string, staffId: string) => api().post(`/v1/merchant/staff/${staffId}/disable`).set(bearer(token));
  const enable = (token: string, staffId: string) => api().post(`/v1/merchant/staff/${staffId}/enable`).set(bearer(token));
  const refresh = (refreshToken: string) => api().post('/v1/merchant-auth/refresh').send({ refreshToken });
  const me = (token: string) => api().get('/v1/merchant/me').set(bearer(token));

  /** Signs in by code; expects success, for a number on one merchant's staff (or with merchantId). */
  async function signIn(
    phone: string,
    merchantId?: string,
  ): Promise<{ accessToken: string; refreshToken: string; staff: { id: string; role: string }; merchant: { id: string } }> {
    const code = await merchantCode(app, redis, phone);
    const response = await verify({ phone, code, ...(merchantId ? { merchantId } : {}) }).expect(200);
    return response.body;
  }

  /** A merchant with its admin and one cashier, both signed in. */
  async function merchantWithCashier(): Promise<{ merchant: RegisteredMerchant; cashier: StaffMember }> {
    const merchant = await register();
    const phone = randomPhone();
    const added = await addCashier(merchant.token, { phone, name: '收银员 王' }).expect(201);
    const session = await signIn(phone);
    return { merchant, cashier: { id: added.body.id, phone, token: session.accessToken } };
  }

  const isActive = async (staffId: string) =>
    ((await db.query('SELECT disabled_at FROM merchant_staff WHERE public_id = $1', [staffId])) as Array<{ disabled_at: Date | null }>)[0]
      .disabled_at === null;

  beforeAll(async () => {
    rig = await openMerchantApp(usedPhones);
    ({ app, db, redis } = rig);
  });

  afterAll(async () => {
    await rig?.close();
  });

  describe('sign-in', () => {
    it('signs a cashier in to their merchant with a token scoped to it, and the admin as admin', async () => {
      const { merchant, cashier } = await merchantWithCashier();
      expect(claimsOf(cashier.token)).toMatchObject({ sub: cashier.id, role: 'merchant_staff', merchantId: merchant.id });
      expect((await me(cashier.token).expect(200)).body).toMatchObject({ id: merchant.id, status: 'pending' });

      const code = await merchantCode(app, redis, merchant.adminPhone);
      const admin = await verify({ phone: `+86 ${merchant.adminPhone.slice(0, 3)}-${merchant.adminPhone.slice(3)}`, code }).expect(200);
      expect(admin.body).toEqual({
        accessToken: expect.any(String),
        expiresInSeconds: 900,
        refreshToken: expect.any(String),
        sessionExpiresAt: expect.any(String),
        staff: {
          id: merchant.adminId,
          name: '管理员',
          phone: masked(merchant.adminPhone),
          role: 'merchant_admin',
          active: true,
          createdAt: expect.any(String),
          disabledAt: null,
        },
        merchant: { id: merchant.id, shopName: merchant.shopName, status: 'pending' },
      });
      expect(claimsOf(admin.body.accessToken)).toMatchObject({ sub: merchant.adminId, role: 'merchant_admin', merchantId: merchant.id });
      // The code is used up.
      expect((await verify({ phone: merchant.adminPhone, code }).expect(401)).body.code).toBe('OTP_EXPIRED');
    });

    it('asks which merchant when a number works at several (409 MERCHANT_CHOICE_REQUIRED), then takes the same code with the choice', async () => {
      const phone = randomPhone();
      const first = await register(phone);
      const second = await register(phone);
      const third = await register();
      await addCashier(third.token, { phone, name: '兼职收银' }).expect(201);

      const code = await merchantCode(app, redis, phone);
      const choice = await verify({ phone, code }).expect(409);
      expect(choice.body.code).toBe('MERCHANT_CHOICE_REQUIRED');
      const listed = [first, second, third].map((m) => ({ merchantId: m.id, shopName: m.shopName }));
      expect(choice.body.details.merchants).toEqual(listed.sort((a, b) => (a.merchantId < b.merchantId ? -1 : 1)));

      const chosen = await verify({ phone, code, merchantId: third.id }).expect(200);
      expect(claimsOf(chosen.body.accessToken)).toMatchObject({ role: 'merchant_staff', merchantId: third.id });
      expect(chosen.body.merchant.id).toBe(third.id);
      expect((await verify({ phone, code, merchantId: first.id }).expect(401)).body.code).toBe('OTP_EXPIRED');

      const asAdmin = await signIn(phone, second.id);
      expect(claimsOf(asAdmin.accessToken)).toMatchObject({ sub: second.adminId, role: 'merchant_admin', merchantId: second.id });

      // A merchant the number does not work at is refused once the code is proven.
      const stranger = await register();
      const code2 = await merchantCode(app, redis, phone);
      expect((await verify({ phone, code: code2, merchantId: stranger.id }).expect(403)).body.code).toBe('NO_MERCHANT_ACCESS');
      // And a wrong code tells nothing of the merchants.
      const code3 = await merchantCode(app, redis, phone);
      const wrong = await verify({ phone, code: code3 === '000000' ? '000001' : '000000' }).expect(401);
      expect(wrong.body.code).toBe('OTP_INVALID');
      expect(JSON.stringify(wrong.body)).not.toContain(first.id);
    });

    it('refuses a disabled cashier, a number on no staff, and the staff of a rejected merchant', async () => {
      const { merchant, cashier } = await merchantWithCashier();
      const disabled = await disable(merchant.token, cashier.id).expect(200);
      expect(disabled.body).toMatchObject({ id: cashier.id, active: false, disabledAt: expect.any(String) });
      const code = await merchantCode(app, redis, cashier.phone);
      expect((await verify({ phone: cashier.phone, code }).expect(403)).body.code).toBe('NO_MERCHANT_ACCESS');
      // A token from before the disabling no longer opens anything here either.
      expect((await me(cashier.token).expect(403)).body.code).toBe('STAFF_INACTIVE');

      const nobody = randomPhone();
      const nobodyCode = await merchantCode(app, redis, nobody);
      expect((await verify({ phone: nobody, code: nobodyCode }).expect(403)).body.code).toBe('NO_MERCHANT_ACCESS');

      const rejected = await register();
      await decide(app, rejected.id, 'rejected').expect(201);
      const rejectedCode = await merchantCode(app, redis, rejected.adminPhone);
      expect((await verify({ phone: rejected.adminPhone, code: rejectedCode }).expect(403)).body.code).toBe('NO_MERCHANT_ACCESS');

      // Suspended merchants' staff still sign in (to read their statements); approved ones of course.
      const suspended = await register();
      await decide(app, suspended.id, 'approved').expect(201);
      expect((await signIn(suspended.adminPhone)).merchant).toEqual({ id: suspended.id, shopName: suspended.shopName, status: 'approved' });
      await decide(app, suspended.id, 'suspended').expect(201);
      expect((await signIn(suspended.adminPhone)).merchant.id).toBe(suspended.id);
    });

    it("uses merchant codes only: a resident's code for the same number signs no staff in", async () => {
      const merchant = await register();
      const issuance = await bootApp('issuance');
      try {
        const sent = await request(issuance.getHttpServer()).post('/v1/auth/otp').send({ phone: merchant.adminPhone, ...SIGN_IN_CONSENT }).expect(202);
        expect((await verify({ phone: merchant.adminPhone, code: sent.body.devCode }).expect(401)).body.code).toBe('OTP_EXPIRED');
        // A merchant code sent meanwhile does not replace the resident's, nor the other way round.
        const merchantSide = await merchantCode(app, redis, merchant.adminPhone);
        await request(issuance.getHttpServer()).post('/v1/auth/otp/verify').send({ phone: merchant.adminPhone, code: sent.body.devCode, ...SIGN_IN_CONSENT }).expect(200);
        await verify({ phone: merchant.adminPhone, code: merchantSide }).expect(200);
      } finally {
        await issuance.close();
      }
    });

    it('refuses malformed sign-in requests', async () => {
      await api().post('/v1/merchant-auth/otp').send({ phone: '12345' }).expect(400);
      expect((await verify({ phone: randomPhone(), code: '12345' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await verify({ phone: randomPhone(), code: '123456', merchantId: 'shop-7' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await verify({ phone: randomPhone(), code: '123456', role: 'merchant_admin' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await verify({ phone: randomPhone(), code: '123456' }).expect(401)).body.code).toBe('OTP_EXPIRED');
    });
  });

  describe('cashier accounts', () => {
    it('lets an admin add, list and disable cashiers of their own merchant, each change audited', async () => {
      const merchant = await register();
      const phone = randomPhone();
      const added = await addCashier(merchant.token, { phone: `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, name: ' 收银员 李 ' }).expect(201);
      expect(added.body).toEqual({
        id: expect.any(String),
        name: '收银员 李',
        phone: masked(phone),
        role: 'merchant_staff',
        active: true,
        createdAt: expect.any(String),
        disabledAt: null,
      });
      const [row] = await db.query(
        'SELECT s.phone, s.role, m.public_id AS merchant FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id WHERE s.public_id = $1',
        [added.body.id],
      );
      expect(row).toEqual({ phone, role: 'merchant_staff', merchant: merchant.id });

      expect((await addCashier(merchant.token, { phone, name: '重复' }).expect(409)).body.code).toBe('STAFF_PHONE_TAKEN');
      expect((await addCashier(merchant.token, { phone: merchant.adminPhone, name: '店长' }).expect(409)).body.code).toBe('STAFF_PHONE_TAKEN');
      expect((await addCashier(merchant.token, { phone: '12345', name: '错号' }).expect(400)).body.code).toBe('INVALID_PHONE');
      expect((await addCashier(merchant.token, { phone: randomPhone(), name: '  ' }).expect(400)).body.code).toBe('STAFF_NAME_INVALID');
      expect((await addCashier(merchant.token, { phone: randomPhone() }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      // The request cannot name a merchant or a role: only the token's merchant, only cashiers.
      for (const extra of [{ merchantId: newPublicId() }, { role: 'merchant_admin' }]) {
        expect((await addCashier(merchant.token, { phone: randomPhone(), name: '多余', ...extra }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }

      const second = await addCashier(merchant.token, { phone: randomPhone(), name: '收银员 赵' }).expect(201);
      const listed = (await listStaff(merchant.token).expect(200)).body;
      expect(listed.nextCursor).toBeNull();
      expect(listed.items.map((s: { id: string }) => s.id)).toEqual([merchant.adminId, added.body.id, second.body.id]);
      const firstPage = (await listStaff(merchant.token, '?limit=2').expect(200)).body;
      expect(firstPage.items).toHaveLength(2);
      const secondPage = (await listStaff(merchant.token, `?limit=2&cursor=${firstPage.nextCursor}`).expect(200)).body;
      expect(secondPage).toEqual({ items: [expect.objectContaining({ id: second.body.id })], nextCursor: null });

      await disable(merchant.token, added.body.id).expect(200);
      const again = await disable(merchant.token, added.body.id).expect(200);
      expect(again.body.active).toBe(false);
      expect((await listStaff(merchant.token).expect(200)).body.items.find((s: { id: string }) => s.id === added.body.id).active).toBe(false);
      expect((await disable(merchant.token, merchant.adminId).expect(409)).body.code).toBe('CANNOT_DISABLE_SELF');
      expect((await disable(merchant.token, newPublicId()).expect(404)).body.code).toBe('STAFF_NOT_FOUND');

      const audit = await db.query(
        `SELECT actor_id, action, target_id FROM audit_log WHERE target_type = 'merchant_staff' AND target_id = ANY($1) ORDER BY id`,
        [[added.body.id, second.body.id]],
      );
      expect(audit).toEqual([
        { actor_id: merchant.adminId, action: 'merchant.staff_added', target_id: added.body.id },
        { actor_id: merchant.adminId, action: 'merchant.staff_added', target_id: second.body.id },
        { actor_id: merchant.adminId, action: 'merchant.staff_disabled', target_id: added.body.id },
        { actor_id: merchant.adminId, action: 'merchant.staff_disabled', target_id: added.body.id },
      ]);
    });

    it('lets an admin enable a disabled cashier again (idempotent, each request audited); refuses unknown and malformed ids', async () => {
      const { merchant, cashier } = await merchantWithCashier();
      await disable(merchant.token, cashier.id).expect(200);
      const enabled = await enable(merchant.token, cashier.id).expect(200);
      expect(enabled.body).toEqual({
        id: cashier.id,
        name: '收银员 王',
        phone: masked(cashier.phone),
        role: 'merchant_staff',
        active: true,
        createdAt: expect.any(String),
        disabledAt: null,
      });
      expect(await isActive(cashier.id)).toBe(true);
      expect((await listStaff(merchant.token).expect(200)).body.items.find((s: { id: string }) => s.id === cashier.id).active).toBe(true);
      // Enabling an active member changes nothing, as disabling a disabled one does; so does enabling oneself.
      expect((await enable(merchant.token, cashier.id).expect(200)).body).toEqual(enabled.body);
      expect((await enable(merchant.token, merchant.adminId).expect(200)).body).toMatchObject({ id: merchant.adminId, active: true });

      expect((await enable(merchant.token, newPublicId()).expect(404)).body.code).toBe('STAFF_NOT_FOUND');
      expect((await api().post('/v1/merchant/staff/not-an-id/enable').set(bearer(merchant.token)).expect(400)).body.code).toBe('MALFORMED_REQUEST');
      await api().post(`/v1/merchant/staff/${cashier.id}/enable`).expect(401);

      const audit = await db.query(`SELECT actor_id, action FROM audit_log WHERE target_type = 'merchant_staff' AND target_id = $1 ORDER BY id`, [cashier.id]);
      expect(audit).toEqual([
        { actor_id: merchant.adminId, action: 'merchant.staff_added' },
        { actor_id: merchant.adminId, action: 'merchant.staff_disabled' },
        { actor_id: merchant.adminId, action: 'merchant.staff_enabled' },
        { actor_id: merchant.adminId, action: 'merchant.staff_enabled' },
      ]);
    });

    it('has a cashier enabled again sign in again: nothing from before the disabling opens anything', async () => {
      const { merchant, cashier } = await merchantWithCashier();
      const before = await signIn(cashier.phone);
      await disable(merchant.token, cashier.id).expect(200);
      await enable(merchant.token, cashier.id).expect(200);

      // The access tokens of before (the helper's and this one) are refused: sign in again (401, which the till answers by signing out).
      for (const token of [cashier.token, before.accessToken]) {
        expect((await me(token).expect(401)).body.code).toBe('UNAUTHENTICATED');
      }
      // Their sessions stayed ended.
      expect((await refresh(before.refreshToken).expect(401)).body.code).toBe('REFRESH_TOKEN_REVOKED');

      const after = await signIn(cashier.phone);
      expect(claimsOf(after.accessToken)).toMatchObject({ sub: cashier.id, role: 'merchant_staff', merchantId: merchant.id, tv: 1 });
      expect((await me(after.accessToken).expect(200)).body.id).toBe(merchant.id);
      const renewed = (await refresh(after.refreshToken).expect(200)).body;
      expect(claimsOf(renewed.accessToken)).toMatchObject({ sub: cashier.id, tv: 1 });
      await me(renewed.accessToken).expect(200);
      // The old refresh token shown again is not a theft of the new session: it goes on.
      await refresh(before.refreshToken).expect(401);
      await refresh(renewed.refreshToken).expect(200);

      // Disabled once more: refused at once again, and so on.
      await disable(merchant.token, cashier.id).expect(200);
      expect((await me(renewed.accessToken).expect(403)).body.code).toBe('STAFF_INACTIVE');
      await enable(merchant.token, cashier.id).expect(200);
      expect((await me(renewed.accessToken).expect(401)).body.code).toBe('UNAUTHENTICATED');
      expect(claimsOf((await signIn(cashier.phone)).accessToken)).toMatchObject({ tv: 2 });
    });

    it('keeps cashiers out of staff management (403)', async () => {
      const { merchant, cashier } = await merchantWithCashier();
      expect((await addCashier(cashier.token, { phone: randomPhone(), name: '偷加' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await listStaff(cashier.token).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await disable(cashier.token, merchant.adminId).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await disable(cashier.token, cashier.id).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await enable(cashier.token, cashier.id).expect(403)).body.code).toBe('FORBIDDEN');
      // Not even for a colleague who was disabled: only the admin enables.
      const colleague = await addCashier(merchant.token, { phone: randomPhone(), name: '收银员 孙' }).expect(201);
      await disable(merchant.token, colleague.body.id).expect(200);
      expect((await enable(cashier.token, colleague.body.id).expect(403)).body.code).toBe('FORBIDDEN');
      expect(await isActive(colleague.body.id)).toBe(false);
      expect((await api().patch('/v1/merchant/me').set(bearer(cashier.token)).send({ address: '别处' }).expect(403)).body.code).toBe('FORBIDDEN');
      expect(await isActive(merchant.adminId)).toBe(true);
      for (const role of [Role.CommerceOfficial, Role.Auditor, Role.Resident]) {
        await listStaff(tokenFor({ role })).expect(403);
      }
      await api().get('/v1/merchant/staff').expect(401);
    });
  });

  describe('scope (BOLA): staff of merchant X never read or act on merchant Y', () => {
    it('answers every route from the token\'s own merchant, and 404 for the other merchant\'s staff', async () => {
      const x = await merchantWithCashier();
      const y = await merchantWithCashier();

      // Y's staff ids do not exist for X's admin.
      for (const staffId of [y.cashier.id, y.merchant.adminId]) {
        expect((await disable(x.merchant.token, staffId).expect(404)).body.code).toBe('STAFF_NOT_FOUND');
        expect(await isActive(staffId)).toBe(true);
      }
      expect((await signIn(y.cashier.phone)).merchant.id).toBe(y.merchant.id);
      // Nor can X's admin enable one Y disabled.
      await disable(y.merchant.token, y.cashier.id).expect(200);
      expect((await enable(x.merchant.token, y.cashier.id).expect(404)).body.code).toBe('STAFF_NOT_FOUND');
      expect(await isActive(y.cashier.id)).toBe(false);
      await enable(y.merchant.token, y.cashier.id).expect(200);

      const xList = (await listStaff(x.merchant.token).expect(200)).body.items.map((s: { id: string }) => s.id);
      expect(xList.sort()).toEqual([x.merchant.adminId, x.cashier.id].sort());

      // No request names another merchant: /me is the token's, whatever is asked.
      for (const token of [x.merchant.token, x.cashier.token]) {
        expect((await me(token).expect(200)).body.id).toBe(x.merchant.id);
        expect((await api().get(`/v1/merchant/me?merchantId=${y.merchant.id}`).set(bearer(token)).expect(200)).body.id).toBe(x.merchant.id);
      }
      await api().get(`/v1/merchant/${y.merchant.id}`).set(bearer(x.merchant.token)).expect(404);
      await api().get(`/v1/merchant/staff?merchantId=${y.merchant.id}`).set(bearer(x.merchant.token)).expect(400);
      await api().patch('/v1/merchant/me').set(bearer(x.merchant.token)).send({ contactPhone: '0574-1234 5678' }).expect(200);
      expect((await me(y.merchant.token).expect(200)).body.contactPhone).toBe('0574-8888 8888');
      expect((await decide(app, y.merchant.id, 'approved', { token: x.merchant.token }).expect(403)).body.code).toBe('FORBIDDEN');

      // A validly signed token that pairs X's admin with merchant Y (as a bug elsewhere might mint) opens nothing.
      const crossed = tokenFor({ sub: x.merchant.adminId, role: Role.MerchantAdmin, merchantId: y.merchant.id });
      expect((await me(crossed).expect(403)).body.code).toBe('STAFF_INACTIVE');
      expect((await listStaff(crossed).expect(403)).body.code).toBe('STAFF_INACTIVE');
      expect((await disable(crossed, y.cashier.id).expect(403)).body.code).toBe('STAFF_INACTIVE');
      expect((await enable(crossed, y.cashier.id).expect(403)).body.code).toBe('STAFF_INACTIVE');
      expect((await addCashier(crossed, { phone: randomPhone(), name: '冒充' }).expect(403)).body.code).toBe('STAFF_INACTIVE');
      expect((await api().patch('/v1/merchant/me').set(bearer(crossed)).send({ address: '冒充' }).expect(403)).body.code).toBe('STAFF_INACTIVE');
      expect(await isActive(y.cashier.id)).toBe(true);
      const [{ count }] = await db.query(
        `SELECT count(*)::int AS count FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id WHERE m.public_id = $1`,
        [y.merchant.id],
      );
      expect(count).toBe(2);
    });
  });

  it('documents the routes in /docs', async () => {
    const document = (await api().get('/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/merchant-auth/otp',
        '/v1/merchant-auth/otp/verify',
        '/v1/merchant-registrations',
        '/v1/merchant/me',
        '/v1/merchant/staff',
        '/v1/merchant/staff/{staffId}/disable',
        '/v1/merchant/staff/{staffId}/enable',
        '/v1/merchants/{merchantId}/decisions',
      ]),
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['RegisterMerchantDto', 'UpdateMerchantDto', 'StaffSignInDto', 'StaffSessionView', 'MerchantView', 'DecisionDto', 'AddCashierDto']),
    );
  });
});
