import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { maskBankAccount, newPublicId, openBankAccount } from '@vouchers/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { lastDecidedChangeOf } from '../apps/merchant/src/bank-account-changes/bank-accounts';
import { testConfig } from './support/apps';
import {
  commerceOfficial,
  decide,
  MerchantAppRig,
  openMerchantApp,
  phoneBook,
  randomAccountNumber,
  registerMerchant,
  RegisteredMerchant,
  TestRedis,
} from './support/merchant-accounts';
import { bearer, tokenFor } from './support/tokens';

/** Numbers starting 18 are this file's. */
const { randomPhone, usedPhones } = phoneBook('18');

const CHANGES = '/v1/merchants/bank-account-changes';

interface AuditRow {
  actor_id: string;
  actor_role: string;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * An approved merchant's new bank account waits for an official (issue 15, point 14): one SMS
 * code signs an admin in, and must not be enough to send the merchant's money elsewhere.
 */
describe("merchants' bank account changes, held for an official's review", () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let redis: TestRedis;
  let rig: MerchantAppRig;
  const api = () => request(app.getHttpServer());
  const key = testConfig().bankAccountKey;

  /** A merchant registered (pending) by its admin and, unless asked otherwise, approved by a city-wide official. */
  async function merchant(options: { district?: string; approved?: boolean } = {}): Promise<RegisteredMerchant> {
    const registered = await registerMerchant(app, redis, { phone: randomPhone(), body: { district: options.district ?? 'haishu' } });
    if (options.approved ?? true) await decide(app, registered.id, 'approved').expect(201);
    return registered;
  }

  const patch = (who: RegisteredMerchant, body: Record<string, unknown>) => api().patch('/v1/merchant/me').set(bearer(who.token)).send(body);
  const list = (token = commerceOfficial(), query = '') => api().get(`${CHANGES}${query}`).set(bearer(token));
  const decideChange = (changeId: string, to: string, token = commerceOfficial(), reason = `测试：${to}`) =>
    api().post(`${CHANGES}/${changeId}/decisions`).set(bearer(token)).send({ to, reason });

  /** The number the merchant's own columns hold: the approved account, the one settlement snapshots. */
  async function approvedNumber(merchantId: string): Promise<string> {
    const [row] = await db.query('SELECT bank_account_cipher FROM merchants WHERE public_id = $1', [merchantId]);
    return openBankAccount(row.bank_account_cipher, key);
  }

  const changesOf = async (merchantId: string): Promise<Array<{ public_id: string; status: string; number: string; decided_by: string | null }>> =>
    (
      await db.query(
        `SELECT c.public_id, c.status, c.bank_account_cipher, c.decided_by FROM merchant_bank_account_changes c
           JOIN merchants m ON m.id = c.merchant_id WHERE m.public_id = $1 ORDER BY c.id`,
        [merchantId],
      )
    ).map((row: { public_id: string; status: string; bank_account_cipher: string; decided_by: string | null }) => ({
      public_id: row.public_id,
      status: row.status,
      number: openBankAccount(row.bank_account_cipher, key),
      decided_by: row.decided_by,
    }));

  const auditOf = (merchantId: string, prefix = 'merchant.bank_account_change.'): Promise<AuditRow[]> =>
    db.query(
      `SELECT actor_id, actor_role, action, detail FROM audit_log WHERE target_type = 'merchant' AND target_id = $1 AND action LIKE $2 ORDER BY id`,
      [merchantId, `${prefix}%`],
    );

  beforeAll(async () => {
    rig = await openMerchantApp(usedPhones);
    ({ app, db, redis } = rig);
  });

  afterAll(async () => {
    await rig?.close();
  });

  it("holds an approved merchant's new account (202), keeps paying the approved one, and audits the request with both masked", async () => {
    const shop = await merchant();
    const newNumber = randomAccountNumber();
    const held = await patch(shop, { bankAccountNumber: newNumber, bankName: '宁波银行', address: '海曙区县前街 9 号' }).expect(202);
    // The approved account is still the merchant's; the other fields of the request are changed at once.
    expect(held.body).toMatchObject({
      id: shop.id,
      status: 'approved',
      address: '海曙区县前街 9 号',
      bankName: '中国工商银行宁波分行',
      bankAccountMasked: maskBankAccount(shop.accountNumber),
      pendingBankAccountChange: {
        id: expect.any(String),
        status: 'pending',
        requested: { bankAccountName: '宁波测试餐饮有限公司', bankName: '宁波银行', bankAccountMasked: maskBankAccount(newNumber) },
        requestedBy: shop.adminId,
        requestedAt: expect.any(String),
      },
    });
    expect(JSON.stringify(held.body)).not.toContain(newNumber);
    expect(await approvedNumber(shop.id)).toBe(shop.accountNumber);
    const [row] = await db.query('SELECT bank_name, address FROM merchants WHERE public_id = $1', [shop.id]);
    expect(row).toEqual({ bank_name: '中国工商银行宁波分行', address: '海曙区县前街 9 号' });
    const changeId = held.body.pendingBankAccountChange.id as string;
    expect(await changesOf(shop.id)).toEqual([{ public_id: changeId, status: 'pending', number: newNumber, decided_by: null }]);

    // The admin and the cashiers see it waiting.
    const me = await api().get('/v1/merchant/me').set(bearer(shop.token)).expect(200);
    expect(me.body.pendingBankAccountChange).toEqual(held.body.pendingBankAccountChange);

    const audit = await auditOf(shop.id, 'merchant.');
    expect(audit.map((entry) => entry.action)).toEqual([
      'merchant.register',
      'merchant.approved',
      'merchant.bank_account_change.requested',
      'merchant.update',
    ]);
    expect(audit[2]).toEqual({
      actor_id: shop.adminId,
      actor_role: 'merchant_admin',
      action: 'merchant.bank_account_change.requested',
      detail: {
        changeId,
        from: { bankAccountName: '宁波测试餐饮有限公司', bankName: '中国工商银行宁波分行', bankAccountMasked: maskBankAccount(shop.accountNumber) },
        to: { bankAccountName: '宁波测试餐饮有限公司', bankName: '宁波银行', bankAccountMasked: maskBankAccount(newNumber) },
      },
    });
    expect(audit[3].detail).toEqual({ changed: ['address'] });
    expect(JSON.stringify(audit)).not.toContain(newNumber);
    expect(JSON.stringify(audit)).not.toContain(shop.accountNumber);
  });

  it('lets a merchant still pending change its account at once, as before', async () => {
    const shop = await merchant({ approved: false });
    const newNumber = randomAccountNumber();
    const changed = await patch(shop, { bankAccountNumber: newNumber }).expect(200);
    expect(changed.body).toMatchObject({ status: 'pending', bankAccountMasked: maskBankAccount(newNumber), pendingBankAccountChange: null });
    expect(await approvedNumber(shop.id)).toBe(newNumber);
    expect(await changesOf(shop.id)).toEqual([]);
  });

  it('shows officials the old and new accounts masked side by side, each only in their scope', async () => {
    const shop = await merchant({ district: 'jiangbei' });
    const newNumber = randomAccountNumber();
    const changeId = (await patch(shop, { bankAccountNumber: newNumber }).expect(202)).body.pendingBankAccountChange.id as string;
    const find = async (token: string, query = '?limit=200') => {
      const found: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<Record<string, unknown>>; nextCursor: string | null } = (
          await list(token, `${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200)
        ).body;
        found.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return found.find((item) => item.id === changeId);
    };
    const expected = {
      id: changeId,
      status: 'pending',
      // The licence's name beside it: the account's holder should be it.
      merchant: { id: shop.id, creditCode: shop.creditCode, shopName: shop.shopName, registeredName: '宁波测试餐饮有限公司', district: 'jiangbei', status: 'approved' },
      current: { bankAccountName: '宁波测试餐饮有限公司', bankName: '中国工商银行宁波分行', bankAccountMasked: maskBankAccount(shop.accountNumber) },
      requested: { bankAccountName: '宁波测试餐饮有限公司', bankName: '中国工商银行宁波分行', bankAccountMasked: maskBankAccount(newNumber) },
      requestedBy: shop.adminId,
      requestedAt: expect.any(String),
      decidedBy: null,
      decidedAt: null,
      reason: null,
    };
    expect(await find(commerceOfficial())).toEqual(expected);
    expect(await find(commerceOfficial('jiangbei'))).toEqual(expected);
    expect(await find(tokenFor({ role: Role.Auditor }))).toEqual(expected);
    expect(await find(commerceOfficial('cixi'))).toBeUndefined();
    expect(await find(commerceOfficial(), '?limit=200&district=cixi')).toBeUndefined();
    expect((await list(commerceOfficial('cixi'), '?district=jiangbei').expect(403)).body.code).toBe('FORBIDDEN');
    const page = await list(commerceOfficial(), '?limit=200');
    expect(page.text).not.toContain(newNumber);
    expect(page.text).not.toContain(shop.accountNumber);
    for (const role of [Role.FinanceOfficial, Role.Resident]) expect((await list(tokenFor({ role }))).status).toBe(403);
    expect((await list(shop.token)).status).toBe(403);
    await api().get(CHANGES).expect(401);
    expect((await list(commerceOfficial(), '?status=maybe')).status).toBe(400);
  });

  it("approves a change by an official of the merchant's district: the new account becomes the merchant's, audited", async () => {
    const shop = await merchant({ district: 'yinzhou' });
    const newNumber = randomAccountNumber();
    const changeId = (await patch(shop, { bankAccountNumber: newNumber, bankAccountName: '鄞州新户名' }).expect(202)).body.pendingBankAccountChange.id;

    // Another district's official cannot decide it: it reads as not found, like a change that does not exist.
    const outside = await decideChange(changeId, 'approved', commerceOfficial('cixi')).expect(404);
    const unknown = await decideChange(newPublicId(), 'approved', commerceOfficial('cixi')).expect(404);
    expect({ ...outside.body, requestId: null }).toEqual({ ...unknown.body, requestId: null });
    expect(outside.body.code).toBe('BANK_ACCOUNT_CHANGE_NOT_FOUND');
    // Nor can anyone but a commerce official, nor the admin who asked.
    for (const token of [tokenFor({ role: Role.Auditor }), tokenFor({ role: Role.FinanceOfficial }), shop.token]) {
      expect((await decideChange(changeId, 'approved', token).expect(403)).body.code).toBe('FORBIDDEN');
    }
    // Four eyes: whoever asked never decides (an official's token with the asker's id stands in for one person in both roles).
    const asker = tokenFor({ sub: shop.adminId, role: Role.CommerceOfficial });
    expect((await decideChange(changeId, 'approved', asker).expect(403)).body.code).toBe('FOUR_EYES_REQUIRED');
    for (const body of [{ to: 'approved' }, { to: 'approved', reason: ' ' }, { to: 'pending', reason: 'x' }]) {
      await api().post(`${CHANGES}/${changeId}/decisions`).set(bearer(commerceOfficial())).send(body).expect(400);
    }
    expect(await approvedNumber(shop.id)).toBe(shop.accountNumber);
    expect(await auditOf(shop.id)).toHaveLength(1);

    const official = newPublicId();
    const token = tokenFor({ sub: official, role: Role.CommerceOfficial, district: 'yinzhou' });
    const approved = await decideChange(changeId, 'approved', token, '开户许可证核验通过').expect(201);
    const from = { bankAccountName: '宁波测试餐饮有限公司', bankName: '中国工商银行宁波分行', bankAccountMasked: maskBankAccount(shop.accountNumber) };
    const to = { bankAccountName: '鄞州新户名', bankName: '中国工商银行宁波分行', bankAccountMasked: maskBankAccount(newNumber) };
    expect(approved.body).toEqual({
      id: changeId,
      merchantId: shop.id,
      status: 'approved',
      previous: from,
      current: to,
      reason: '开户许可证核验通过',
      decidedBy: official,
      decidedAt: expect.any(String),
    });
    expect(await approvedNumber(shop.id)).toBe(newNumber);
    const me = (await api().get('/v1/merchant/me').set(bearer(shop.token)).expect(200)).body;
    expect(me).toMatchObject({ bankAccountName: '鄞州新户名', bankAccountMasked: maskBankAccount(newNumber), pendingBankAccountChange: null });
    expect(await changesOf(shop.id)).toEqual([{ public_id: changeId, status: 'approved', number: newNumber, decided_by: official }]);
    const audit = await auditOf(shop.id);
    expect(audit.map((entry) => [entry.action, entry.actor_id])).toEqual([
      ['merchant.bank_account_change.requested', shop.adminId],
      ['merchant.bank_account_change.approved', official],
    ]);
    expect(audit[1]).toMatchObject({
      actor_role: 'commerce_official',
      detail: { changeId, from, to, requestedBy: shop.adminId, reason: '开户许可证核验通过', officialDistrict: 'yinzhou' },
    });

    // Decided once: a second decision, either way, is refused and changes nothing.
    for (const again of ['approved', 'rejected']) {
      const refused = await decideChange(changeId, again).expect(409);
      expect(refused.body).toMatchObject({ code: 'BANK_ACCOUNT_CHANGE_NOT_PENDING', details: { status: 'approved' } });
    }
    expect(await auditOf(shop.id)).toHaveLength(2);
  });

  it('keeps the approved account when a change is rejected, audited', async () => {
    const shop = await merchant();
    const newNumber = randomAccountNumber();
    const changeId = (await patch(shop, { bankAccountNumber: newNumber }).expect(202)).body.pendingBankAccountChange.id;
    const official = newPublicId();
    const rejected = await decideChange(changeId, 'rejected', tokenFor({ sub: official, role: Role.CommerceOfficial }), '户名与执照不符').expect(201);
    expect(rejected.body).toMatchObject({ status: 'rejected', current: { bankAccountMasked: maskBankAccount(shop.accountNumber) } });
    expect(await approvedNumber(shop.id)).toBe(shop.accountNumber);
    const mine = (await api().get('/v1/merchant/me').set(bearer(shop.token)).expect(200)).body;
    expect(mine.pendingBankAccountChange).toBeNull();
    // The shop is told what became of its request, and why.
    expect(mine.lastBankAccountDecision).toMatchObject({
      id: changeId, status: 'rejected', reason: '户名与执照不符', decidedAt: expect.stringMatching(/Z$/),
      requested: { bankAccountMasked: maskBankAccount(newNumber) },
    });
    expect((await auditOf(shop.id)).map((entry) => [entry.action, entry.actor_id, entry.detail.reason])).toEqual([
      ['merchant.bank_account_change.requested', shop.adminId, undefined],
      ['merchant.bank_account_change.rejected', official, '户名与执照不符'],
    ]);
    expect((await list(commerceOfficial(), '?status=rejected&limit=200').expect(200)).body.items.map((item: { id: string }) => item.id)).toContain(changeId);
  });

  it('lets a later request replace a pending one, and the approved account asked for again withdraw it', async () => {
    const shop = await merchant();
    const [first, second] = [randomAccountNumber(), randomAccountNumber()];
    const firstId = (await patch(shop, { bankAccountNumber: first }).expect(202)).body.pendingBankAccountChange.id;
    const secondId = (await patch(shop, { bankAccountNumber: second }).expect(202)).body.pendingBankAccountChange.id;
    expect((await changesOf(shop.id)).map((change) => [change.public_id, change.status, change.number])).toEqual([
      [firstId, 'withdrawn', first],
      [secondId, 'pending', second],
    ]);
    expect((await decideChange(firstId, 'approved').expect(409)).body.details).toEqual({ status: 'withdrawn' });

    const back = await patch(shop, { bankAccountNumber: shop.accountNumber }).expect(200);
    expect(back.body.pendingBankAccountChange).toBeNull();
    expect((await changesOf(shop.id)).map((change) => change.status)).toEqual(['withdrawn', 'withdrawn']);
    expect(await approvedNumber(shop.id)).toBe(shop.accountNumber);
    expect((await auditOf(shop.id)).map((entry) => [entry.action, entry.detail.withdrew ?? entry.detail.changeId])).toEqual([
      ['merchant.bank_account_change.requested', firstId],
      ['merchant.bank_account_change.requested', firstId],
      ['merchant.bank_account_change.withdrawn', secondId],
    ]);
  });

  it('asks for a whole account when an approved merchant has none yet; a suspended one changes nothing', async () => {
    const shop = await merchant();
    await db.query(
      'UPDATE merchants SET bank_account_name = NULL, bank_name = NULL, bank_account_cipher = NULL, bank_account_masked = NULL WHERE public_id = $1',
      [shop.id],
    );
    expect((await patch(shop, { bankAccountNumber: randomAccountNumber() }).expect(400)).body.code).toBe('BANK_ACCOUNT_INCOMPLETE');
    expect(await changesOf(shop.id)).toEqual([]);
    const whole = { bankAccountName: '新户名', bankName: '宁波银行', bankAccountNumber: randomAccountNumber() };
    const held = await patch(shop, whole).expect(202);
    expect(held.body).toMatchObject({ bankAccountMasked: null, pendingBankAccountChange: { requested: { bankAccountName: '新户名' } } });

    await decide(app, shop.id, 'suspended').expect(201);
    expect((await patch(shop, { bankAccountNumber: randomAccountNumber() }).expect(409)).body.code).toBe('MERCHANT_NOT_EDITABLE');
    expect((await changesOf(shop.id)).map((change) => change.status)).toEqual(['pending']);
  });

  it("reads a merchant's last decided change (every GET /v1/merchant/me) by the index on (merchant, id), not by a scan", async () => {
    const shop = await merchant();
    const [{ id: merchantRowId }] = await db.query('SELECT id FROM merchants WHERE public_id = $1', [shop.id]);
    const runner = db.createQueryRunner();
    const run = runner.query.bind(runner);
    const plans: string[] = [];
    await runner.startTransaction();
    try {
      // A handful of rows: without this the planner rightly scans; the question is whether an index serves the read.
      await runner.query('SET LOCAL enable_seqscan = off');
      // The use case's own statement, explained instead of run (it then finds no row).
      runner.query = (async (sql: string, parameters?: unknown[], structured?: boolean) => {
        plans.push(JSON.stringify(await run(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)));
        return structured ? { records: [], raw: [] } : [];
      }) as typeof runner.query;
      expect(await lastDecidedChangeOf(runner.manager, String(merchantRowId))).toBeNull();
    } finally {
      runner.query = run;
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('merchant_bank_account_changes_merchant_idx');
    expect(plans[0]).not.toContain('Seq Scan');
  });
});
