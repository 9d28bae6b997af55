import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { encodeCursor, newPublicId } from '@vouchers/common';
import { loadConfig } from '@vouchers/config';
import { createReadyOfficial } from '@vouchers/officials';
import { AuditEntry, AuditRecord, recordAudit } from '@vouchers/database';
import { parse } from 'csv-parse/sync';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { bootApp } from './support/apps';
import { openTestDatabase } from './support/database';
import { deleteMerchantsOf, openTestRedis, registerMerchant } from './support/merchant-accounts';
import { GOOD_PASSWORD } from './support/officials';
import { bearer, tokenFor } from './support/tokens';

/**
 * The audit trail (settlement app): entries recorded as the use cases record them, read back
 * by each filter, a page at a time, and as CSV; refused to district officials and to anyone
 * not an official or auditor. Every actor and subject here is this file's own (fresh public
 * ids), so entries other files write at the same time never enter an answer.
 */
describe('audit trail', () => {
  let settlement: NestFastifyApplication;
  let db: DataSource;
  const api = () => request(settlement.getHttpServer());
  const auditorSub = newPublicId();
  const auditor = bearer(tokenFor({ role: Role.Auditor, sub: auditorSub }));

  const official = newPublicId();
  const finance = newPublicId();
  const clock = newPublicId();
  const merchant = newPublicId();
  const campaign = newPublicId();
  const batch = newPublicId();

  /** Each in a transaction of its own, as each action commits its own: ids grow in this order. */
  async function record(entry: AuditRecord & { at?: Date }): Promise<string> {
    if (entry.at === undefined) {
      await db.transaction((manager) => recordAudit(manager, entry));
    } else {
      // A moment chosen by the test, to filter by: the column's default would be the insert's now().
      await db.manager.insert(AuditEntry, { ...entry, detail: (entry.detail ?? {}) as object, at: entry.at });
    }
    const [{ id }] = await db.manager.find(AuditEntry, { select: { id: true }, where: { actorId: entry.actorId }, order: { id: 'DESC' }, take: 1 });
    return id;
  }

  const list = (query: string, headers = auditor) => api().get(`/v1/audit/entries?${query}`).set(headers);
  const ids = async (query: string): Promise<string[]> => (await list(query).expect(200)).body.items.map((item: { id: string }) => item.id);

  let e: Record<'approve' | 'account' | 'decoy' | 'create' | 'batch' | 'nine' | 'ten' | 'eleven', string>;

  beforeAll(async () => {
    db = await openTestDatabase();
    settlement = await bootApp('settlement');
    const approve = await record({
      actorId: official,
      actorRole: Role.CommerceOfficial,
      action: 'merchant.approve',
      targetType: 'merchant',
      targetId: merchant,
      detail: { to: 'approved', reason: '=HYPERLINK("x"), 资料齐全' },
      requestId: 'req-approve',
    });
    const account = await record({
      actorId: official,
      actorRole: Role.CommerceOfficial,
      action: 'merchant.bank_account_change.approved',
      targetType: 'merchant',
      targetId: merchant,
      detail: { bankAccountMasked: '6222 **** **** 0123' },
    });
    // Matches merchant.bank_account_change. only if the prefix's underscores were wildcards.
    const decoy = await record({
      actorId: official,
      actorRole: Role.CommerceOfficial,
      action: 'merchant.bankXaccountXchange.approved',
      targetType: 'merchant',
      targetId: merchant,
    });
    const create = await record({ actorId: official, actorRole: Role.CommerceOfficial, action: 'campaign.create', targetType: 'campaign', targetId: campaign });
    const batchApproval = await record({
      actorId: finance,
      actorRole: Role.FinanceOfficial,
      action: 'settlement_batch.approve',
      targetType: 'settlement_batch',
      targetId: batch,
      detail: { totalFen: 123_400 },
    });
    const at = (hour: number) => new Date(`2025-03-01T${String(hour).padStart(2, '0')}:00:00+08:00`);
    const timed = (hour: number) =>
      record({ actorId: clock, actorRole: Role.CommerceOfficial, action: 'merchant.suspend', targetType: 'merchant', targetId: merchant, at: at(hour) });
    const nine = await timed(9);
    const ten = await timed(10);
    const eleven = await timed(11);
    e = { approve, account, decoy, create, batch: batchApproval, nine, ten, eleven };
  });

  afterAll(async () => {
    await settlement.close();
    await db.destroy();
  });

  it('lists an actor’s entries newest first, each as recorded, in keyset pages', async () => {
    const first = (await list(`actorId=${official}&limit=3`).expect(200)).body;
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([e.create, e.decoy, e.account]);
    expect(first.items[2]).toEqual({
      id: e.account,
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      actorId: official,
      // No official's account has this id (a token made by the test): no name to give.
      actorName: null,
      actorRole: 'commerce_official',
      action: 'merchant.bank_account_change.approved',
      targetType: 'merchant',
      targetId: merchant,
      targetName: null,
      detail: { bankAccountMasked: '6222 **** **** 0123' },
      requestId: null,
    });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await list(`actorId=${official}&limit=3&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([e.approve]);
    expect(second.items[0]).toMatchObject({ requestId: 'req-approve', detail: { to: 'approved' } });
    expect(second.nextCursor).toBeNull();
    // An actor's id in upper case is the same actor.
    expect(await ids(`actorId=${official.toUpperCase()}`)).toEqual([e.create, e.decoy, e.account, e.approve]);
  });

  it('filters by subject, by action (exact or a prefix ending with a dot) and combines filters', async () => {
    expect(await ids(`targetType=merchant&targetId=${merchant}&actorId=${official}`)).toEqual([e.decoy, e.account, e.approve]);
    expect(await ids(`targetType=merchant&targetId=${merchant.toUpperCase()}`)).toEqual([e.eleven, e.ten, e.nine, e.decoy, e.account, e.approve]);
    expect(await ids(`targetType=settlement_batch&targetId=${batch}`)).toEqual([e.batch]);
    expect(await ids(`targetType=campaign&targetId=${merchant}`)).toEqual([]);
    expect(await ids(`action=merchant.approve&actorId=${official}`)).toEqual([e.approve]);
    expect(await ids(`action=merchant.&actorId=${official}`)).toEqual([e.decoy, e.account, e.approve]);
    expect(await ids(`action=merchant.bank_account_change.&actorId=${official}`)).toEqual([e.account]);
    expect(await ids(`action=merchant.bank&actorId=${official}`)).toEqual([]);
    expect(await ids(`action=settlement_batch.&targetType=settlement_batch&targetId=${batch}`)).toEqual([e.batch]);
  });

  it('filters by time: from inclusive, to exclusive, in any offset', async () => {
    const range = (from: string, to: string) => ids(`actorId=${clock}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(await range('2025-03-01T10:00:00+08:00', '2025-03-01T11:00:00+08:00')).toEqual([e.ten]);
    expect(await range('2025-03-01T02:00:00Z', '2025-03-01T03:00:00.001Z')).toEqual([e.eleven, e.ten]);
    expect(await ids(`actorId=${clock}&from=${encodeURIComponent('2025-03-01T09:30:00+08:00')}`)).toEqual([e.eleven, e.ten]);
    expect(await ids(`actorId=${clock}&to=${encodeURIComponent('2025-03-01T10:00:00+08:00')}`)).toEqual([e.nine]);
    const [ten] = (await list(`actorId=${clock}&limit=1&to=${encodeURIComponent('2025-03-01T11:00:00+08:00')}`).expect(200)).body.items;
    // Answers are UTC, as every time in the API: 10:00 in Ningbo is 02:00Z.
    expect(ten.at).toBe('2025-03-01T02:00:00.000Z');
  });

  it('exports the same filter as CSV, newest first, and records the export', async () => {
    const response = await api().get(`/v1/audit/entries/export?actorId=${official}`).set(auditor).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    // The names come last: a reader by position finds the first export's columns where they were.
    expect(response.text.startsWith('\ufeffid,at,actor_id,actor_role,action,target_type,target_id,request_id,detail,actor_name,target_name\r\n')).toBe(true);
    const rows = (parse(response.text, { bom: true }) as string[][]).slice(1);
    expect(rows.map((row) => [row[0], row[4]])).toEqual([
      [e.create, 'campaign.create'],
      [e.decoy, 'merchant.bankXaccountXchange.approved'],
      [e.account, 'merchant.bank_account_change.approved'],
      [e.approve, 'merchant.approve'],
    ]);
    const approve = rows[3];
    expect(approve.slice(1, 8)).toEqual([expect.stringMatching(/Z$/), official, 'commerce_official', 'merchant.approve', 'merchant', merchant, 'req-approve']);
    expect(JSON.parse(approve[8])).toEqual({ to: 'approved', reason: '=HYPERLINK("x"), 资料齐全' });
    expect(approve.slice(9)).toEqual(['', '']);
    expect(JSON.parse(rows[2][8])).toEqual({ bankAccountMasked: '6222 **** **** 0123' });

    const timed = await api().get(`/v1/audit/entries/export?actorId=${clock}&from=${encodeURIComponent('2025-03-01T10:00:00+08:00')}`).set(auditor).expect(200);
    expect((parse(timed.text, { bom: true }) as string[][]).slice(1).map((row) => row[0])).toEqual([e.eleven, e.ten]);

    const exports = (await list(`actorId=${auditorSub}&action=audit.export`).expect(200)).body.items;
    expect(exports.map((item: { detail: unknown }) => item.detail)).toEqual([
      { filter: { actorId: clock, from: '2025-03-01T10:00:00+08:00' } },
      { filter: { actorId: official } },
    ]);
    expect(exports[0]).toMatchObject({ actorRole: 'auditor', targetType: 'audit_log', targetId: 'city', requestId: expect.any(String) });
  });

  it('names the officials who acted and whose accounts were acted on, in pages and in the CSV; anyone else has no name', async () => {
    // Two real officials, made together: their ids share their first characters, their names do not.
    const made = async (name: string, role: Role.CommerceOfficial | Role.FinanceOfficial) => {
      const phone = `1391${randomInt(0, 10_000_000).toString().padStart(7, '0')}`;
      const { publicId } = await createReadyOfficial(db.manager, { phone, name, role, district: null, password: GOOD_PASSWORD, sealKey: loadConfig().bankAccountKey });
      return publicId;
    };
    const proposer = await made('商务 甲', Role.CommerceOfficial);
    const confirmer = await made('=商务 乙', Role.CommerceOfficial);
    const round = newPublicId();
    for (const [actorId, action] of [[proposer, 'lottery.public_value.propose'], [confirmer, 'lottery.public_value.confirm']]) {
      await record({ actorId, actorRole: Role.CommerceOfficial, action, targetType: 'round', targetId: round, detail: { value: '3412.07' } });
    }
    // An actor who is no official: no name.
    await record({ actorId: 'issuance-worker', actorRole: 'system', action: 'lottery.draw', targetType: 'round', targetId: round });

    const items = (await list(`targetType=round&targetId=${round}`).expect(200)).body.items;
    expect(items.map(({ actorId, actorName }: { actorId: string; actorName: string | null }) => [actorId, actorName])).toEqual([
      ['issuance-worker', null],
      [confirmer, '=商务 乙'],
      [proposer, '商务 甲'],
    ]);
    const file = await api().get(`/v1/audit/entries/export?targetType=round&targetId=${round}`).set(auditor).expect(200);
    // A name is typed by an administrator: one that starts like a formula is written as text.
    expect((parse(file.text, { bom: true }) as string[][]).slice(1).map((row) => [row[2], row[9], row[10]])).toEqual([
      ['issuance-worker', '', ''],
      [confirmer, "'=商务 乙", ''],
      [proposer, '商务 甲', ''],
    ]);

    // An official's account as the subject is named too; an id that is no account's is not.
    const gone = newPublicId();
    await record({ actorId: proposer, actorRole: Role.CommerceOfficial, action: 'official.change', targetType: 'official', targetId: confirmer });
    await record({ actorId: proposer, actorRole: Role.CommerceOfficial, action: 'official.disable', targetType: 'official', targetId: gone });
    const named = (await list(`actorId=${proposer}&targetType=official`).expect(200)).body.items;
    expect(named.map(({ targetId, targetName }: { targetId: string; targetName: string | null }) => [targetId, targetName])).toEqual([
      [gone, null],
      [confirmer, '=商务 乙'],
    ]);
    // A campaign as the subject is named by its name.
    const campaignId = newPublicId();
    await db.query(
      `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, per_person_limit, return_policy, status)
       VALUES ($1, '审计页 春季券', '{dining}', '{}', 100000, 5000, 7, 1, 'next_round', 'draft')`,
      [campaignId],
    );
    await record({ actorId: proposer, actorRole: Role.CommerceOfficial, action: 'campaign.create', targetType: 'campaign', targetId: campaignId });
    const campaignEntries = (await list(`targetType=campaign&targetId=${campaignId}`).expect(200)).body.items;
    expect(campaignEntries.map(({ targetName }: { targetName: string | null }) => targetName)).toEqual(['审计页 春季券']);
    const changes = await api().get(`/v1/audit/entries/export?actorId=${proposer}&targetType=official`).set(auditor).expect(200);
    expect((parse(changes.text, { bom: true }) as string[][]).slice(1).map((row) => [row[6], row[9], row[10]])).toEqual([
      [gone, '商务 甲', ''],
      [confirmer, '商务 甲', "'=商务 乙"],
    ]);
  });

  it('names a merchant by its shop and its staff by name, masked number and shop, in pages and in the CSV; no whole number', async () => {
    // Registered and staffed through the merchant app, so the entries are those its use cases write.
    const merchantApp = await bootApp('merchant');
    const redis = openTestRedis();
    const phones: string[] = [];
    const phone = () => {
      const number = `1399${randomInt(0, 10_000_000).toString().padStart(7, '0')}`;
      phones.push(number);
      return number;
    };
    const masked = (number: string) => `${number.slice(0, 3)}****${number.slice(-4)}`;
    try {
      const adminPhone = phone();
      const shop = await registerMerchant(merchantApp, redis, { phone: adminPhone, body: { adminName: '王 店长' } });
      const cashierPhone = phone();
      const cashier = await request(merchantApp.getHttpServer())
        .post('/v1/merchant/staff')
        .set(bearer(shop.token))
        .send({ phone: cashierPhone, name: '=小李' })
        .expect(201);

      // A member's shop follows them, written as the trail names a merchant: 200,000 merchants have a 管理员 each.
      const admin = `王 店长 ${masked(adminPhone)}（${shop.shopName}）`;
      const cashierName = `=小李 ${masked(cashierPhone)}（${shop.shopName}）`;
      const page = await list(`actorId=${shop.adminId}`).expect(200);
      type Named = { action: string; targetId: string; actorName: string | null; targetName: string | null };
      expect(page.body.items.map(({ action, targetId, actorName, targetName }: Named) => [action, targetId, actorName, targetName])).toEqual([
        ['merchant.staff_added', cashier.body.id, admin, cashierName],
        ['merchant.register', shop.id, admin, shop.shopName],
      ]);
      const file = await api().get(`/v1/audit/entries/export?actorId=${shop.adminId}`).set(auditor).expect(200);
      expect((parse(file.text, { bom: true }) as string[][]).slice(1).map((row) => [row[4], row[9], row[10]])).toEqual([
        ['merchant.staff_added', admin, `'${cashierName}`],
        ['merchant.register', admin, shop.shopName],
      ]);
      for (const text of [JSON.stringify(page.body), file.text]) {
        expect(text).not.toContain(adminPhone);
        expect(text).not.toContain(cashierPhone);
      }
    } finally {
      await deleteMerchantsOf(db, redis, phones);
      redis.prefixed.disconnect();
      redis.raw.disconnect();
      await merchantApp.close();
    }
  });

  it('is open to auditors and city-wide officials only', async () => {
    for (const role of [Role.CommerceOfficial, Role.FinanceOfficial]) {
      expect((await list(`actorId=${finance}`, bearer(tokenFor({ role }))).expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([e.batch]);
    }
    const districtSub = newPublicId();
    const district = [Role.Auditor, Role.CommerceOfficial, Role.FinanceOfficial].map(
      (role) => [role, bearer(tokenFor({ role, sub: districtSub, district: 'haishu' }))] as const,
    );
    const outsiders = [
      [Role.Resident, bearer(tokenFor({ role: Role.Resident, verified: true }))],
      [Role.MerchantAdmin, bearer(tokenFor({ role: Role.MerchantAdmin, merchantId: merchant }))],
      [Role.MerchantStaff, bearer(tokenFor({ role: Role.MerchantStaff, merchantId: merchant }))],
    ] as const;
    const refusals: Array<[string, string, number, string]> = [];
    for (const [role, headers] of [...district, ...outsiders]) {
      for (const path of [`/v1/audit/entries?actorId=${official}`, `/v1/audit/entries/export?actorId=${official}`]) {
        const response = await api().get(path).set(headers);
        refusals.push([role, path.split('?')[0], response.status, response.body.code]);
      }
    }
    const expected = (role: string, code: string): Array<[string, string, number, string]> => [
      [role, '/v1/audit/entries', 403, code],
      [role, '/v1/audit/entries/export', 403, code],
    ];
    expect(refusals).toEqual([
      ...district.flatMap(([role]) => expected(role, 'AUDIT_TRAIL_CITY_WIDE_ONLY')),
      ...outsiders.flatMap(([role]) => expected(role, 'FORBIDDEN')),
    ]);
    await api().get('/v1/audit/entries').expect(401);
    // A refused export is not recorded as one.
    expect(await db.manager.count(AuditEntry, { where: { actorId: districtSub } })).toBe(0);
  });

  it('is described in /docs: both operations, the entry schema and the CSV answer', async () => {
    const document = (await api().get('/docs-json').expect(200)).body;
    const page = document.paths['/v1/audit/entries'].get;
    expect(page.responses['200'].content['application/json'].schema.properties.items.items).toEqual({ $ref: '#/components/schemas/AuditEntryView' });
    expect(Object.keys(document.components.schemas.AuditEntryView.properties).sort()).toEqual(
      ['action', 'actorId', 'actorName', 'actorRole', 'at', 'detail', 'id', 'requestId', 'targetId', 'targetName', 'targetType'],
    );
    // A staff member's name as given: with the masked number and the shop.
    const { actorName, targetName } = document.components.schemas.AuditEntryView.properties;
    expect(actorName.example).toBe('张三 138****0001（海曙超市）');
    expect(targetName.description).toContain("staff member's name, masked phone number and shop name");
    expect(page.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual(
      ['action', 'actorId', 'cursor', 'from', 'limit', 'targetId', 'targetType', 'to'],
    );
    const file = document.paths['/v1/audit/entries/export'].get;
    expect(Object.keys(file.responses['200'].content)).toEqual(['text/csv']);
    expect(file.parameters.map((parameter: { name: string }) => parameter.name)).not.toContain('cursor');
  });

  it('refuses a forged cursor, a time without its offset and a subject id without its type with 400', async () => {
    for (const cursor of ['not-base64!', encodeCursor(['abc']), encodeCursor(['99999999999999999999']), encodeCursor([5]), encodeCursor(['0']), encodeCursor([e.ten, e.nine])]) {
      const response = await list(`cursor=${encodeURIComponent(cursor)}`);
      expect([cursor, response.status, response.body.code]).toEqual([cursor, 400, cursor === 'not-base64!' ? 'VALIDATION_FAILED' : 'INVALID_CURSOR']);
    }
    for (const [field, value] of [['from', '2025-03-01T10:00:00'], ['to', '2025-03-01 10:00'], ['from', '2025-03-01'], ['to', '2025-02-30T10:00:00+08:00']]) {
      for (const path of ['/v1/audit/entries', '/v1/audit/entries/export']) {
        const response = await api().get(`${path}?${field}=${encodeURIComponent(value)}`).set(auditor);
        expect([path, value, response.status, response.body.code]).toEqual([path, value, 400, 'VALIDATION_FAILED']);
        expect(JSON.stringify(response.body.details.problems)).toContain(field);
      }
    }
    const orphan = await list(`targetId=${merchant}`).expect(400);
    expect(orphan.body.details.problems).toContain('targetType must be given with targetId');
    await list('action=merchant%').expect(400);
    await api().get(`/v1/audit/entries/export?cursor=${encodeCursor([e.ten])}`).set(auditor).expect(400);
  });
});
