import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { maskBankAccount, newPublicId } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { createReadyOfficial } from '@vouchers/officials';
import request from 'supertest';
import {
  claimsOf,
  commerceOfficial,
  decide,
  MerchantAppRig,
  openMerchantApp,
  phoneBook,
  randomAccountNumber,
  registerMerchant,
  RegisteredMerchant,
} from './support/merchant-accounts';
import { GOOD_PASSWORD } from './support/officials';
import { bearer, tokenFor } from './support/tokens';

/** Numbers starting 14 are this file's. */
const { randomPhone, usedPhones } = phoneBook('14');

interface Step {
  step: string;
  from: string | null;
  to: string;
  reason: string | null;
  by: string;
  byName: string | null;
  byRole: string;
  at: string;
}

/**
 * Officials read one merchant back: its registry entry, its review history (who submitted,
 * approved, rejected or suspended it, why and when) and its bank account changes, scoped like
 * the decisions on it.
 */
describe('a merchant read back by officials', () => {
  let rig: MerchantAppRig;
  let app: NestFastifyApplication;
  const read = (merchantId: string, token = commerceOfficial()) => request(app.getHttpServer()).get(`/v1/merchants/${merchantId}`).set(bearer(token));
  const register = (district = 'haishu'): Promise<RegisteredMerchant> =>
    registerMerchant(app, rig.redis, { phone: randomPhone(), body: { district } });

  beforeAll(async () => {
    rig = await openMerchantApp(usedPhones);
    app = rig.app;
  });

  afterAll(async () => {
    await rig?.close();
  });

  /**
   * Gives the official of a test token (one signed here, of no account) an account of this name.
   * After the token's last request: a token of an account must come from its sign-in.
   */
  const nameOfficial = async (token: string, name: string): Promise<void> => {
    const made = { phone: randomPhone(), name, role: Role.CommerceOfficial as const, district: null, password: GOOD_PASSWORD, sealKey: loadConfig().bankAccountKey };
    const { publicId } = await createReadyOfficial(rig.db.manager, made);
    await rig.db.query('UPDATE officials SET public_id = $1 WHERE public_id = $2', [claimsOf(token).sub, publicId]);
  };

  it('answers the entry and its review history, newest first, with who decided (by name), from what to what and why', async () => {
    const shop = await register();
    const approver = commerceOfficial();
    const suspender = commerceOfficial('haishu');
    await decide(app, shop.id, 'approved', { token: approver, reason: '材料齐全' }).expect(201);
    await decide(app, shop.id, 'suspended', { token: suspender, reason: '投诉核查' }).expect(201);
    await decide(app, shop.id, 'approved', { token: approver, reason: '核查完毕' }).expect(201);
    await nameOfficial(approver, '审核 甲');
    await nameOfficial(suspender, '审核 乙');

    const { body } = await read(shop.id).expect(200);
    expect(body).toMatchObject({
      id: shop.id,
      creditCode: shop.creditCode,
      shopName: shop.shopName,
      district: 'haishu',
      status: 'approved',
      bankAccountMasked: maskBankAccount(shop.accountNumber),
      pendingBankAccountChange: null,
      bankAccountChanges: [],
    });
    expect(JSON.stringify(body)).not.toContain(shop.accountNumber);
    const approverId = claimsOf(approver).sub as string;
    const suspenderId = claimsOf(suspender).sub as string;
    expect((body.reviewHistory as Step[]).map(({ step, from, to, reason, by, byName, byRole }) => ({ step, from, to, reason, by, byName, byRole }))).toEqual([
      { step: 'approved', from: 'suspended', to: 'approved', reason: '核查完毕', by: approverId, byName: '审核 甲', byRole: 'commerce_official' },
      { step: 'suspended', from: 'approved', to: 'suspended', reason: '投诉核查', by: suspenderId, byName: '审核 乙', byRole: 'commerce_official' },
      { step: 'approved', from: 'pending', to: 'approved', reason: '材料齐全', by: approverId, byName: '审核 甲', byRole: 'commerce_official' },
      { step: 'submitted', from: null, to: 'pending', reason: null, by: shop.adminId, byName: null, byRole: 'merchant_admin' },
    ]);
    for (const step of body.reviewHistory as Step[]) expect(step.at).toMatch(/Z$/);
  });

  it('shows a rejection with its reason, and a pending merchant with its submission only', async () => {
    const rejected = await register();
    await decide(app, rejected.id, 'rejected', { reason: '执照过期' }).expect(201);
    const history = (await read(rejected.id).expect(200)).body.reviewHistory as Step[];
    expect(history.map(({ step, to, reason }) => ({ step, to, reason }))).toEqual([
      { step: 'rejected', to: 'rejected', reason: '执照过期' },
      { step: 'submitted', to: 'pending', reason: null },
    ]);

    const pending = await register();
    const { body } = await read(pending.id).expect(200);
    expect(body.status).toBe('pending');
    expect((body.reviewHistory as Step[]).map((step) => step.step)).toEqual(['submitted']);
  });

  it('lists its bank account changes, newest first, masked, with the decisions on them', async () => {
    const shop = await register();
    await decide(app, shop.id, 'approved').expect(201);
    const first = randomAccountNumber();
    const second = randomAccountNumber();
    const asked = await request(app.getHttpServer()).patch('/v1/merchant/me').set(bearer(shop.token)).send({ bankAccountNumber: first }).expect(202);
    const official = commerceOfficial();
    await request(app.getHttpServer())
      .post(`/v1/merchants/bank-account-changes/${asked.body.pendingBankAccountChange.id}/decisions`)
      .set(bearer(official))
      .send({ to: 'rejected', reason: '户名不符' })
      .expect(201);
    await nameOfficial(official, '审核 丙');
    await request(app.getHttpServer()).patch('/v1/merchant/me').set(bearer(shop.token)).send({ bankAccountNumber: second }).expect(202);

    const { body } = await read(shop.id).expect(200);
    expect(body.bankAccountChanges).toEqual([
      expect.objectContaining({ status: 'pending', requested: expect.objectContaining({ bankAccountMasked: maskBankAccount(second) }), requestedBy: shop.adminId, decidedBy: null, decidedByName: null, reason: null }),
      expect.objectContaining({
        id: asked.body.pendingBankAccountChange.id,
        status: 'rejected',
        requested: expect.objectContaining({ bankAccountMasked: maskBankAccount(first) }),
        decidedBy: claimsOf(official).sub,
        decidedByName: '审核 丙',
        decidedAt: expect.stringMatching(/Z$/),
        reason: '户名不符',
      }),
    ]);
    expect(body.pendingBankAccountChange.id).toBe(body.bankAccountChanges[0].id);
    expect(JSON.stringify(body)).not.toContain(first);
    expect(JSON.stringify(body)).not.toContain(second);
  });

  it('refuses a decision on a record the merchant has changed since it was read (409 MERCHANT_CHANGED, nothing done)', async () => {
    const shop = await register();
    const seen = (await read(shop.id).expect(200)).body;
    // Pending, the shop's own change of payout account applies at once.
    await request(app.getHttpServer()).patch('/v1/merchant/me').set(bearer(shop.token)).send({ bankAccountName: '李四', bankAccountNumber: randomAccountNumber() }).expect(200);
    const approve = (seenUpdatedAt: string) =>
      request(app.getHttpServer()).post(`/v1/merchants/${shop.id}/decisions`).set(bearer(commerceOfficial())).send({ to: 'approved', reason: '核验通过', seenUpdatedAt });
    const refused = await approve(seen.updatedAt).expect(409);
    expect(refused.body.code).toBe('MERCHANT_CHANGED');
    const now = (await read(shop.id).expect(200)).body;
    expect([now.status, now.bankAccountName]).toEqual(['pending', '李四']);
    expect(now.reviewHistory.map((step: Step) => step.step)).toEqual(['submitted']);
    await approve(now.updatedAt).expect(201);
    expect((await approve('not a time').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it("reads another district's merchant as not found to a district official, as the decisions do", async () => {
    const shop = await register('haishu');
    expect((await read(shop.id, commerceOfficial('jiangbei')).expect(404)).body.code).toBe('MERCHANT_NOT_FOUND');
    expect((await decide(app, shop.id, 'approved', { token: commerceOfficial('jiangbei') }).expect(404)).body.code).toBe('MERCHANT_NOT_FOUND');
    await read(shop.id, commerceOfficial('haishu')).expect(200);
    await read(shop.id, tokenFor({ role: Role.Auditor })).expect(200);
    expect((await read(shop.id, tokenFor({ role: Role.Auditor, district: 'jiangbei' })).expect(404)).body.code).toBe('MERCHANT_NOT_FOUND');
  });

  it('takes the id in either case, and answers 404 MERCHANT_NOT_FOUND for an unknown id or one that is no UUID', async () => {
    const shop = await register();
    expect((await read(shop.id.toUpperCase()).expect(200)).body.id).toBe(shop.id);
    for (const unknown of [newPublicId(), 'not-a-uuid']) {
      expect((await read(unknown).expect(404)).body.code).toBe('MERCHANT_NOT_FOUND');
    }
  });

  it("refuses other roles with 403, the merchant's own admin included (it reads GET /v1/merchant/me)", async () => {
    const shop = await register();
    for (const token of [shop.token, tokenFor({ role: Role.FinanceOfficial }), tokenFor({ role: Role.Resident })]) {
      expect((await read(shop.id, token).expect(403)).body.code).toBe('FORBIDDEN');
    }
    await request(app.getHttpServer()).get(`/v1/merchants/${shop.id}`).expect(401);
  });

  it('leaves the static routes beside it alone, and describes its answer in /docs', async () => {
    await request(app.getHttpServer()).get('/v1/merchants/bank-account-changes').set(bearer(commerceOfficial())).expect(200);
    const document = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
    const operation = document.paths['/v1/merchants/{merchantId}'].get;
    expect(operation.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/MerchantRecordView');
    expect(operation.responses['404'].description).toContain('MERCHANT_NOT_FOUND');
    expect(Object.keys(document.components.schemas.MerchantRecordView.properties)).toEqual(expect.arrayContaining(['reviewHistory', 'bankAccountChanges']));
  });
});
