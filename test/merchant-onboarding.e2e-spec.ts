import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { maskBankAccount, newPublicId, openBankAccount } from '@vouchers/common';
import { EligibilityIndex } from '@vouchers/eligibility';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp, testConfig } from './support/apps';
import {
  claimsOf,
  commerceOfficial,
  decide,
  MerchantAppRig,
  openMerchantApp,
  deleteKeys,
  merchantCode,
  newCreditCode,
  randomAccountNumber,
  phoneBook,
  registerMerchant,
  registrationBody,
  RegisteredMerchant,
  TestRedis,
} from './support/merchant-accounts';
import { bearer, tokenFor } from './support/tokens';
import { SIGN_IN_CONSENT } from './support/consents';

/** Numbers starting 15 are this file's. */
const { randomPhone, usedPhones } = phoneBook('15');

interface AuditRow {
  actor_id: string;
  actor_role: string;
  action: string;
  detail: Record<string, unknown>;
  at: Date;
}

describe('merchant onboarding, review and the eligibility index', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: TestRedis;
  let rig: MerchantAppRig;
  let index: EligibilityIndex;
  const api = () => request(app.getHttpServer());
  const register = (body: Record<string, unknown> = {}, phone = randomPhone()) => registerMerchant(app, redis, { phone, body });
  const statusOf = async (merchantId: string) =>
    ((await db.query('SELECT status FROM merchants WHERE public_id = $1', [merchantId])) as Array<{ status: string }>)[0].status;
  const auditOf = (merchantId: string): Promise<AuditRow[]> =>
    db.query(`SELECT actor_id, actor_role, action, detail, at FROM audit_log WHERE target_type = 'merchant' AND target_id = $1 ORDER BY id`, [
      merchantId,
    ]);

  /**
   * Every merchant row's status against the index, for rows read before the index was
   * rebuilt and unchanged since: other test files add and change merchants in the same
   * database meanwhile, some with plain SQL that never touches the index.
   */
  async function expectIndexAgreesWithPostgres(before: Array<{ public_id: string; status: string }>): Promise<number> {
    const entries = await Promise.all(before.map((row) => index.get(row.public_id)));
    const after: Array<{ public_id: string; status: string }> = await db.query('SELECT public_id, status FROM merchants');
    const now = new Map(after.map((row) => [row.public_id, row.status]));
    const compared = before.filter((row) => now.get(row.public_id) === row.status);
    const disagreeing = before
      .map((row, i) => ({ merchantId: row.public_id, postgres: row.status, index: entries[i].entry?.status ?? null }))
      .filter((row) => now.get(row.merchantId) === row.postgres && row.index !== row.postgres);
    expect(disagreeing).toEqual([]);
    expect(entries.every((entry) => entry.loaded)).toBe(true);
    return compared.length;
  }

  async function waitUntilLoaded(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await index.isLoaded()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await index.isLoaded()).toBe(true);
  }

  beforeAll(async () => {
    rig = await openMerchantApp(usedPhones);
    ({ app, db, redis } = rig);
    index = app.get(EligibilityIndex);
  });

  afterAll(async () => {
    await rig?.close();
  });

  describe('self-registration', () => {
    it('registers a merchant pending review with its admin; the bank account is never in clear outside its cipher', async () => {
      const phone = randomPhone();
      const code = await merchantCode(app, redis, phone);
      const accountNumber = randomAccountNumber();
      const body = registrationBody({ bankAccountNumber: accountNumber.replace(/(\d{4})/g, '$1 ').trim(), adminName: ' 张店长 ' });
      const response = await api()
        .post('/v1/merchant-registrations')
        .send({ ...body, phone: `+86 ${phone}`, code })
        .expect(201);

      const masked = maskBankAccount(accountNumber);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        expiresInSeconds: 900,
        staff: {
          id: expect.any(String),
          name: '张店长',
          phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
          role: 'merchant_admin',
          active: true,
          createdAt: expect.any(String),
          disabledAt: null,
        },
        merchant: {
          id: expect.any(String),
          creditCode: body.creditCode,
          registeredName: body.registeredName,
          shopName: body.shopName,
          district: 'haishu',
          category: 'dining',
          address: body.address,
          latitude: 29.8683,
          longitude: 121.544,
          contactPhone: '0574-8888 8888',
          bankAccountName: body.bankAccountName,
          bankName: body.bankName,
          bankAccountMasked: masked,
          pendingBankAccountChange: null,
          status: 'pending',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
      const { merchant, staff, accessToken } = response.body;
      expect(claimsOf(accessToken)).toMatchObject({ sub: staff.id, role: 'merchant_admin', merchantId: merchant.id });

      const me = await api().get('/v1/merchant/me').set(bearer(accessToken)).expect(200);
      expect(me.body).toEqual({ ...merchant, decisionReason: null, lastBankAccountDecision: null });
      for (const answer of [response.body, me.body]) {
        expect(JSON.stringify(answer)).not.toContain(accountNumber);
        expect(JSON.stringify(answer)).not.toContain(accountNumber.slice(4, 15));
      }

      const [row] = await db.query('SELECT * FROM merchants WHERE public_id = $1', [merchant.id]);
      expect(row).toMatchObject({ status: 'pending', credit_code: body.creditCode, bank_account_masked: masked });
      expect(openBankAccount(row.bank_account_cipher, testConfig().bankAccountKey)).toBe(accountNumber);
      const { bank_account_cipher: cipher, ...others } = row;
      for (const stored of [cipher, JSON.stringify(others)]) {
        expect(stored).not.toContain(accountNumber);
        expect(stored).not.toContain(accountNumber.slice(4, 15));
      }

      const staffRows = await db.query(
        'SELECT s.public_id, s.phone, s.role, s.disabled_at FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id WHERE m.public_id = $1',
        [merchant.id],
      );
      expect(staffRows).toEqual([{ public_id: staff.id, phone, role: 'merchant_admin', disabled_at: null }]);

      const audit = await auditOf(merchant.id);
      expect(audit).toEqual([
        expect.objectContaining({ action: 'merchant.register', actor_id: staff.id, actor_role: 'merchant_admin' }),
      ]);
      expect(JSON.stringify(audit)).not.toContain(accountNumber);

      expect((await index.get(merchant.id)).entry).toEqual({ merchantId: merchant.id, status: 'pending', district: 'haishu', category: 'dining' });

      // The code was used up by the registration.
      const again = await api()
        .post('/v1/merchant-registrations')
        .send({ ...registrationBody(), phone, code })
        .expect(401);
      expect(again.body.code).toBe('OTP_EXPIRED');
    });

    it('refuses a registration whose optional fields are null, writing nothing', async () => {
      const phone = randomPhone();
      const code = await merchantCode(app, redis, phone);
      const creditCode = newCreditCode();
      const body = { ...registrationBody({ creditCode, adminName: null, contactPhone: null }), phone, code };
      const refused = await api().post('/v1/merchant-registrations').send(body).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      const [{ count }] = await db.query('SELECT count(*)::int AS count FROM merchants WHERE credit_code = $1', [creditCode]);
      expect(count).toBe(0);
    });

    it('allows one merchant per credit code: 409 CREDIT_CODE_TAKEN, however the code is typed', async () => {
      const first = await register();
      for (const spelling of [first.creditCode, first.creditCode.toLowerCase(), `${first.creditCode.slice(0, 9)} ${first.creditCode.slice(9)}`]) {
        const phone = randomPhone();
        const code = await merchantCode(app, redis, phone);
        const taken = await api()
          .post('/v1/merchant-registrations')
          .send({ ...registrationBody({ creditCode: spelling }), phone, code })
          .expect(409);
        expect(taken.body.code).toBe('CREDIT_CODE_TAKEN');
        const [{ count }] = await db.query('SELECT count(*)::int AS count FROM merchant_staff WHERE phone = $1', [phone]);
        expect(count).toBe(0);
      }
      const [{ count }] = await db.query('SELECT count(*)::int AS count FROM merchants WHERE credit_code = $1', [first.creditCode]);
      expect(count).toBe(1);
    });

    it('lets two registrations race for one credit code: one merchant, one 409', async () => {
      const creditCode = newCreditCode();
      const phones = [randomPhone(), randomPhone()];
      const codes: string[] = [];
      for (const phone of phones) codes.push(await merchantCode(app, redis, phone));
      const answers = await Promise.all(
        phones.map((phone, i) => api().post('/v1/merchant-registrations').send({ ...registrationBody({ creditCode }), phone, code: codes[i] })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const [{ count }] = await db.query('SELECT count(*)::int AS count FROM merchants WHERE credit_code = $1', [creditCode]);
      expect(count).toBe(1);
    });

    it('checks every field, each refusal with its code, before using up the one-time code', async () => {
      const phone = randomPhone();
      const code = await merchantCode(app, redis, phone);
      const good = registrationBody();
      const creditCode = good.creditCode as string;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ creditCode: creditCode.slice(0, 17) + (creditCode[17] === '0' ? '1' : '0') }, 'CREDIT_CODE_INVALID'],
        [{ creditCode: creditCode.slice(0, 17) }, 'CREDIT_CODE_INVALID'],
        [{ creditCode: `${creditCode.slice(0, 17)}O` }, 'CREDIT_CODE_INVALID'],
        [{ bankAccountNumber: '1234567' }, 'BANK_ACCOUNT_INVALID'],
        [{ bankAccountNumber: '1'.repeat(31) }, 'BANK_ACCOUNT_INVALID'],
        [{ bankAccountNumber: '6222-0212-3456-789' }, 'BANK_ACCOUNT_INVALID'],
        [{ latitude: undefined }, 'COORDINATES_INVALID'],
        [{ longitude: undefined }, 'COORDINATES_INVALID'],
        [{ latitude: 90.5 }, 'COORDINATES_INVALID'],
        [{ longitude: -181 }, 'COORDINATES_INVALID'],
        [{ adminName: '   ' }, 'ADMIN_NAME_INVALID'],
        [{ district: 'shanghai' }, 'VALIDATION_FAILED'],
        [{ category: 'weapons' }, 'VALIDATION_FAILED'],
        [{ shopName: '' }, 'VALIDATION_FAILED'],
        [{ shopName: '   ' }, 'VALIDATION_FAILED'],
        [{ registeredName: 'x'.repeat(201) }, 'VALIDATION_FAILED'],
        [{ address: undefined }, 'VALIDATION_FAILED'],
        [{ bankName: undefined }, 'VALIDATION_FAILED'],
        [{ latitude: '29.8' }, 'VALIDATION_FAILED'],
        [{ contactPhone: 'call me' }, 'VALIDATION_FAILED'],
        [{ status: 'approved' }, 'VALIDATION_FAILED'],
        [{ bankAccountCipher: 'x' }, 'VALIDATION_FAILED'],
        [{ phone: '12345' }, 'INVALID_PHONE'],
      ];
      for (const [change, expected] of cases) {
        const response = await api()
          .post('/v1/merchant-registrations')
          .send({ ...good, phone, code, ...change })
          .expect(400);
        expect({ change, code: response.body.code }).toEqual({ change, code: expected });
      }
      const wrong = code === '000000' ? '000001' : '000000';
      const refused = await api()
        .post('/v1/merchant-registrations')
        .send({ ...good, phone, code: wrong })
        .expect(401);
      expect(refused.body).toMatchObject({ code: 'OTP_INVALID', details: { triesLeft: 4 } });
      await api()
        .post('/v1/merchant-registrations')
        .send({ ...good, phone, code })
        .expect(201);
    });

    it('takes a resident\'s code for nothing: merchants have codes of their own', async () => {
      const issuance = await bootApp('issuance');
      try {
        const phone = randomPhone();
        const residentCode = (await request(issuance.getHttpServer()).post('/v1/auth/otp').send({ phone, ...SIGN_IN_CONSENT }).expect(202)).body.devCode;
        const response = await api()
          .post('/v1/merchant-registrations')
          .send({ ...registrationBody(), phone, code: residentCode })
          .expect(401);
        expect(response.body.code).toBe('OTP_EXPIRED');
        // And the resident's code still signs the resident in.
        await request(issuance.getHttpServer()).post('/v1/auth/otp/verify').send({ phone, code: residentCode, ...SIGN_IN_CONSENT }).expect(200);
      } finally {
        await issuance.close();
      }
    });
  });

  describe("a merchant's own profile", () => {
    it('lets the admin change contact, address and bank details, audited, with the account re-sealed and re-masked', async () => {
      const merchant = await register();
      const newNumber = randomAccountNumber();
      const response = await api()
        .patch('/v1/merchant/me')
        .set(bearer(merchant.token))
        .send({ address: ' 江北区人民路 8 号 ', contactPhone: '13900000009', bankAccountNumber: newNumber, bankName: '宁波银行', latitude: 29.9, longitude: 121.5 })
        .expect(200);
      expect(response.body).toMatchObject({
        id: merchant.id,
        address: '江北区人民路 8 号',
        contactPhone: '13900000009',
        bankName: '宁波银行',
        bankAccountMasked: maskBankAccount(newNumber),
        latitude: 29.9,
        longitude: 121.5,
        status: 'pending',
      });
      expect(JSON.stringify(response.body)).not.toContain(newNumber);
      const [row] = await db.query('SELECT bank_account_cipher, bank_account_masked FROM merchants WHERE public_id = $1', [merchant.id]);
      expect(openBankAccount(row.bank_account_cipher, testConfig().bankAccountKey)).toBe(newNumber);

      const audit = (await auditOf(merchant.id)).find((entry) => entry.action === 'merchant.update');
      expect(audit).toMatchObject({
        actor_id: merchant.adminId,
        actor_role: 'merchant_admin',
        detail: {
          changed: expect.arrayContaining(['address', 'contactPhone', 'bankName', 'bankAccountMasked', 'latitude', 'longitude']),
          bankAccountMasked: { from: maskBankAccount(merchant.accountNumber), to: maskBankAccount(newNumber) },
        },
      });
      expect(JSON.stringify(audit)).not.toContain(newNumber);
      expect(JSON.stringify(audit)).not.toContain(merchant.accountNumber);
    });

    it('refuses empty, half and foreign changes, and any change once suspended or rejected', async () => {
      const merchant = await register();
      const patch = (body: Record<string, unknown>) => api().patch('/v1/merchant/me').set(bearer(merchant.token)).send(body);
      expect((await patch({}).expect(400)).body.code).toBe('NOTHING_TO_CHANGE');
      expect((await patch({ latitude: 29.9 }).expect(400)).body.code).toBe('COORDINATES_INVALID');
      expect((await patch({ bankAccountNumber: '12' }).expect(400)).body.code).toBe('BANK_ACCOUNT_INVALID');
      for (const body of [{ district: 'cixi' }, { status: 'approved' }, { shopName: 'x' }, { creditCode: newCreditCode() }]) {
        expect((await patch(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
      // A field may be left out, not sent as null (it went on to the database as a 500).
      for (const field of ['address', 'contactPhone', 'latitude', 'bankName', 'bankAccountName', 'bankAccountNumber']) {
        expect((await patch({ [field]: null }).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }

      await decide(app, merchant.id, 'approved').expect(201);
      await patch({ address: '鄞州区天童南路 1 号' }).expect(200);
      await decide(app, merchant.id, 'suspended').expect(201);
      const refused = await patch({ address: '鄞州区天童南路 2 号' }).expect(409);
      expect(refused.body).toMatchObject({ code: 'MERCHANT_NOT_EDITABLE', details: { status: 'suspended' } });

      const rejected = await register();
      await decide(app, rejected.id, 'rejected').expect(201);
      const refusedRejected = await api().patch('/v1/merchant/me').set(bearer(rejected.token)).send({ address: '新地址' }).expect(409);
      expect(refusedRejected.body.details).toEqual({ status: 'rejected' });
      const [row] = await db.query('SELECT address FROM merchants WHERE public_id = $1', [merchant.id]);
      expect(row.address).toBe('鄞州区天童南路 1 号');
    });

    it('opens /v1/merchant/me to merchant roles only, for their own merchant', async () => {
      await api().get('/v1/merchant/me').expect(401);
      for (const role of [Role.CommerceOfficial, Role.Auditor, Role.Resident]) {
        expect((await api().get('/v1/merchant/me').set(bearer(tokenFor({ role }))).expect(403)).body.code).toBe('FORBIDDEN');
      }
      // A token for a merchant with a subject that is not on its staff finds nothing to read.
      const merchant = await register();
      const stranger = tokenFor({ role: Role.MerchantAdmin, merchantId: merchant.id, sub: newPublicId() });
      expect((await api().get('/v1/merchant/me').set(bearer(stranger)).expect(403)).body.code).toBe('STAFF_INACTIVE');
    });
  });

  describe("officials' decisions", () => {
    const reachStatus = async (status: 'pending' | 'approved' | 'suspended' | 'rejected'): Promise<RegisteredMerchant> => {
      const merchant = await register();
      const path = { pending: [], approved: ['approved'], suspended: ['approved', 'suspended'], rejected: ['rejected'] }[status];
      for (const to of path) await decide(app, merchant.id, to).expect(201);
      expect(await statusOf(merchant.id)).toBe(status);
      return merchant;
    };

    it('makes every allowed move, each audited with the official, the time and the reason', async () => {
      const official = newPublicId();
      const token = tokenFor({ sub: official, role: Role.CommerceOfficial }, { expiresIn: 3600 });
      const moves: Array<[string, string, string]> = [
        ['pending', 'approved', '证照齐全，核验通过'],
        ['approved', 'suspended', '投诉较多，暂停参与'],
        ['suspended', 'approved', '整改完成，恢复参与'],
      ];
      const merchant = await register();
      for (const [from, to, reason] of moves) {
        const started = Date.now();
        const response = await decide(app, merchant.id, to, { token, reason }).expect(201);
        expect(response.body).toEqual({ merchantId: merchant.id, from, to, reason, decidedBy: official, decidedAt: expect.any(String) });
        expect(Math.abs(new Date(response.body.decidedAt).getTime() - started)).toBeLessThan(10_000);
        expect(await statusOf(merchant.id)).toBe(to);
        expect((await index.get(merchant.id)).entry?.status).toBe(to);
      }
      const rejected = await register();
      await decide(app, rejected.id, 'rejected', { token, reason: '资料不实' }).expect(201);
      // The shop reads why: a rejected or suspended merchant's own view carries the official's reason.
      const mine = (await api().get('/v1/merchant/me').set(bearer(rejected.token)).expect(200)).body;
      expect([mine.status, mine.decisionReason]).toEqual(['rejected', '资料不实']);
      expect((await api().get('/v1/merchant/me').set(bearer(merchant.token)).expect(200)).body.decisionReason).toBeNull();

      const audit = (await auditOf(merchant.id)).filter((entry) => entry.action !== 'merchant.register');
      expect(audit.map(({ actor_id, actor_role, action, detail }) => ({ actor_id, actor_role, action, detail }))).toEqual(
        moves.map(([from, to, reason]) => ({
          actor_id: official,
          actor_role: 'commerce_official',
          action: `merchant.${to}`,
          detail: { from, to, reason },
        })),
      );
      for (const entry of audit) expect(Date.now() - new Date(entry.at).getTime()).toBeLessThan(60_000);
      expect((await auditOf(rejected.id)).map((entry) => [entry.action, entry.detail.reason])).toEqual([
        ['merchant.register', undefined],
        ['merchant.rejected', '资料不实'],
      ]);
    });

    it('refuses every other move with 409 INVALID_TRANSITION, changing and auditing nothing', async () => {
      const refused: Array<['pending' | 'approved' | 'suspended' | 'rejected', string]> = [
        ['pending', 'suspended'],
        ['approved', 'approved'],
        ['approved', 'rejected'],
        ['suspended', 'suspended'],
        ['suspended', 'rejected'],
        ['rejected', 'approved'],
        ['rejected', 'rejected'],
        ['rejected', 'suspended'],
      ];
      for (const [from, to] of refused) {
        const merchant = await reachStatus(from);
        const auditBefore = (await auditOf(merchant.id)).length;
        const response = await decide(app, merchant.id, to).expect(409);
        expect(response.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { from, to } });
        expect(await statusOf(merchant.id)).toBe(from);
        expect((await index.get(merchant.id)).entry?.status).toBe(from);
        expect((await auditOf(merchant.id)).length).toBe(auditBefore);
      }
      const pending = await register();
      expect((await decide(app, pending.id, 'pending').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('requires a reason of 1-500 characters and a commerce official', async () => {
      const merchant = await register();
      const send = (body: Record<string, unknown>, token = commerceOfficial()) =>
        api().post(`/v1/merchants/${merchant.id}/decisions`).set(bearer(token)).send(body);
      for (const body of [{ to: 'approved' }, { to: 'approved', reason: '' }, { to: 'approved', reason: '   ' }, { to: 'approved', reason: 'x'.repeat(501) }]) {
        expect((await send(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
      }
      for (const role of [Role.FinanceOfficial, Role.Auditor, Role.Resident]) {
        expect((await send({ to: 'approved', reason: 'ok' }, tokenFor({ role })).expect(403)).body.code).toBe('FORBIDDEN');
      }
      expect((await send({ to: 'approved', reason: 'ok' }, merchant.token).expect(403)).body.code).toBe('FORBIDDEN');
      await api().post(`/v1/merchants/${merchant.id}/decisions`).send({ to: 'approved', reason: 'ok' }).expect(401);
      expect(await statusOf(merchant.id)).toBe('pending');
      await send({ to: 'approved', reason: 'x'.repeat(500) }).expect(201);

      const unknown = await decide(app, newPublicId(), 'approved').expect(404);
      expect(unknown.body.code).toBe('MERCHANT_NOT_FOUND');
      await decide(app, 'not-a-uuid', 'approved').expect(400);
    });

    it("lets a district official decide only in their own district; elsewhere it reads as not found", async () => {
      const inCixi = await register({ district: 'cixi' });
      const haishuOfficial = commerceOfficial('haishu');
      const outside = await decide(app, inCixi.id, 'approved', { token: haishuOfficial }).expect(404);
      const unknown = await decide(app, newPublicId(), 'approved', { token: haishuOfficial }).expect(404);
      expect({ ...outside.body, requestId: null }).toEqual({ ...unknown.body, requestId: null });
      expect(await statusOf(inCixi.id)).toBe('pending');
      expect((await auditOf(inCixi.id)).map((entry) => entry.action)).toEqual(['merchant.register']);

      const cixiOfficial = newPublicId();
      await decide(app, inCixi.id, 'approved', { token: tokenFor({ sub: cixiOfficial, role: Role.CommerceOfficial, district: 'cixi' }) }).expect(201);
      expect((await auditOf(inCixi.id)).at(-1)).toMatchObject({ actor_id: cixiOfficial, action: 'merchant.approved' });
      // Even a move that would be refused says nothing outside the district.
      expect((await decide(app, inCixi.id, 'rejected', { token: haishuOfficial }).expect(404)).body.code).toBe('MERCHANT_NOT_FOUND');
      // A city-wide official acts anywhere.
      await decide(app, inCixi.id, 'suspended').expect(201);
    });
  });

  describe('the eligibility index', () => {
    it('agrees with Postgres after approvals and suspensions, and after Redis loses it (watch and rebuild)', async () => {
      const merchants = await Promise.all([register(), register({ district: 'yinzhou', category: 'retail' }), register(), register()]);
      await decide(app, merchants[0].id, 'approved').expect(201);
      await decide(app, merchants[1].id, 'approved').expect(201);
      await decide(app, merchants[1].id, 'suspended').expect(201);
      await decide(app, merchants[2].id, 'rejected').expect(201);
      for (const merchant of merchants) {
        const { loaded, entry } = await index.get(merchant.id);
        expect({ loaded, status: entry?.status }).toEqual({ loaded: true, status: await statusOf(merchant.id) });
      }
      expect((await index.get(merchants[1].id)).entry).toMatchObject({ district: 'yinzhou', category: 'retail' });

      // Redis flushed: the watch notices the missing marker and rebuilds from Postgres.
      let rows = await db.query('SELECT public_id, status FROM merchants');
      expect(await deleteKeys(redis, 'elig:*')).toBeGreaterThan(merchants.length);
      expect(await index.isLoaded()).toBe(false);
      expect((await index.get(merchants[0].id)).entry).toBeNull();
      await waitUntilLoaded();
      expect(await expectIndexAgreesWithPostgres(rows)).toBeGreaterThanOrEqual(merchants.length);

      // And once more by calling the rebuild directly, after a move made while the index was gone.
      await deleteKeys(redis, 'elig:*');
      await decide(app, merchants[3].id, 'approved').expect(201);
      rows = await db.query('SELECT public_id, status FROM merchants');
      // The app's own watch may be rebuilding already (it holds the lock); then wait for it.
      if (!(await index.rebuild())) await waitUntilLoaded();
      expect(await expectIndexAgreesWithPostgres(rows)).toBeGreaterThanOrEqual(merchants.length);
      expect((await index.get(merchants[3].id)).entry?.status).toBe('approved');
    });

    it('puts the entry back when a move away from approved fails after writing it', async () => {
      const merchant = await register();
      await decide(app, merchant.id, 'approved').expect(201);
      // Make the audit insert fail after the index was written (stricter) and before the commit.
      await db.query(`CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.target_id = '${merchant.id}' THEN RAISE EXCEPTION 'audit refused for the test'; END IF; RETURN NEW; END $$`);
      await db.query('CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit()');
      try {
        await decide(app, merchant.id, 'suspended').expect(500);
      } finally {
        await db.query('DROP TRIGGER test_refuse_audit ON audit_log');
        await db.query('DROP FUNCTION test_refuse_audit()');
      }
      expect(await statusOf(merchant.id)).toBe('approved');
      expect((await index.get(merchant.id)).entry?.status).toBe('approved');
    });
  });
});
