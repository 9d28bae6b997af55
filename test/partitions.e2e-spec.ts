import { newPublicId } from '@vouchers/common';
import { ARCHIVE_ACTOR, archiveCampaignPartition, archiveMonthPartition, ensureCampaignPartition, ensureCampaignPartitions, ensureMonthPartitions, shanghaiMonth } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { ownedVouchers } from '../apps/issuance/src/claims/resident-vouchers';
import { OWNED_VOUCHER_STATE } from '../apps/issuance/src/codes/checkout-code.sql';
import { REDEEM_BATCH } from '../apps/redemption/src/checkout/redeem.sql';
import { placedRedemption, redemptionRowOf } from '../apps/redemption/src/checkout/merchant-redemptions';
import { placeByOrderNo, placeByPublicId } from '../apps/redemption/src/checkout/redemption-place';
import { orderToRefund } from '../apps/redemption/src/refunds/refund-redemption.usecase';
import { BUILD_CHUNK } from '../apps/settlement/src/build/build-chunk.sql';
import { FLOWS_OF_DAYS } from '../apps/settlement/src/reconciliation/flows.sql';
import { seedSettlementDay } from '../scripts/bench/settlement-day';
import { openTestDatabase } from './support/database';
import { isolateThisFile } from './support/settlement';

const DAY_MS = 86_400_000;
/** YYYY-MM-DD of the 15th of the Asia/Shanghai month `offset` months from now. */
const midMonth = (offset: number) => `${shanghaiMonth(new Date(), offset).slice(0, 8)}15`;
const partitionName = (table: string, day: string) => `${table}_y${day.slice(0, 4)}m${day.slice(5, 7)}`;

/** The partitions a statement's plan reads (EXPLAIN with its parameters, so pruned at plan time). */
async function partitionsRead(db: DataSource, sql: string, params: unknown[], table: string): Promise<string[]> {
  const [{ 'QUERY PLAN': plan }] = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const found = new Set<string>();
  const walk = (node: Record<string, unknown>) => {
    const relation = node['Relation Name'];
    if (typeof relation === 'string' && relation.startsWith(`${table}_`)) found.add(relation);
    for (const child of (node.Plans as Array<Record<string, unknown>>) ?? []) walk(child);
  };
  walk(plan[0].Plan);
  return [...found].sort();
}

/** The partitions of `table` a statement's run entered (EXPLAIN ANALYZE, in a transaction undone after): pruned as it ran, by values it read. */
async function partitionsEntered(db: DataSource, sql: string, params: unknown[], table: string): Promise<string[]> {
  const runner = db.createQueryRunner();
  await runner.startTransaction();
  try {
    const [{ 'QUERY PLAN': plan }] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const found = new Set<string>();
    const walk = (node: Record<string, unknown>) => {
      const relation = node['Relation Name'];
      if (typeof relation === 'string' && relation.startsWith(`${table}_`) && Number(node['Actual Loops']) > 0) found.add(relation);
      for (const child of (node.Plans as Array<Record<string, unknown>>) ?? []) walk(child);
    };
    walk(plan[0].Plan);
    return [...found].sort();
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

/** Undoes the migrations from the last back to `name`, that one included. */
async function undoThrough(db: DataSource, name: string): Promise<void> {
  for (;;) {
    const [last]: Array<{ name: string }> = await db.query('SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1');
    if (!last) throw new Error(`${name} is not applied`);
    await db.undoLastMigration();
    if (last.name === name) return;
  }
}

async function whereRows(db: DataSource, table: string, day: string): Promise<Array<{ partition: string; n: number }>> {
  return db.query(`SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM ${table} WHERE business_date = $1 GROUP BY 1`, [day]);
}

/** A copy of redemption `id` with the columns given changed; the insert's error, or null. */
async function copyRedemption(db: DataSource, id: string, change: Record<string, unknown>): Promise<{ code?: string; constraint?: string } | null> {
  const columns = ['public_id', 'voucher_id', 'merchant_id', 'merchant_order_no', 'order_amount_fen', 'discount_fen', 'city_fen', 'district_fen', 'status', 'redeemed_at', 'business_date', 'cashier_id', 'code_digest'];
  const values = columns.map((column) => (column in change ? `$${Object.keys(change).indexOf(column) + 2}` : column));
  try {
    await db.query(`INSERT INTO redemptions (${columns.join(', ')}) SELECT ${values.join(', ')} FROM redemptions WHERE id = $1`, [id, ...Object.values(change)]);
    return null;
  } catch (error) {
    const { code, constraint } = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? {};
    return { code, constraint };
  }
}

/** Where campaign $1's vouchers are: partition and count. */
async function voucherPartitions(db: DataSource, campaignId: string): Promise<Array<{ partition: string; n: number }>> {
  return db.query(`SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM vouchers WHERE campaign_id = $1 GROUP BY 1`, [campaignId]);
}

/** A copy of voucher `id` with the columns given changed; the insert's error, or null. */
async function copyVoucher(db: DataSource, id: string, change: Record<string, unknown>): Promise<{ code?: string; constraint?: string } | null> {
  const columns = ['public_id', 'campaign_id', 'round_id', 'resident_id', 'person_seq', 'face_value_fen', 'threshold_fen', 'status', 'claimed_at', 'expires_at', 'idempotency_key'];
  const values = columns.map((column) => (column in change ? `$${Object.keys(change).indexOf(column) + 2}` : column));
  try {
    await db.query(`INSERT INTO vouchers (${columns.join(', ')}) SELECT ${values.join(', ')} FROM vouchers WHERE id = $1`, [id, ...Object.values(change)]);
    return null;
  } catch (error) {
    const { code, constraint } = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? {};
    return { code, constraint };
  }
}

describe('month partitions of redemptions, the ledger and the audit log; campaign partitions of vouchers', () => {
  let db: DataSource;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    dropDatabase = await isolateThisFile();
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db.destroy();
    await dropDatabase();
  });

  it('keeps a redemption of a month without its partition in DEFAULT, and moves it when the month is made', async () => {
    const day = midMonth(14);
    await seedSettlementDay(db, { merchants: 2, redemptions: 5, businessDate: day });
    expect(await whereRows(db, 'redemptions', day)).toEqual([{ partition: 'redemptions_default', n: 5 }]);

    // The daily job, run the month before: the months up to three ahead of it are made.
    const report = await ensureMonthPartitions(db.manager, new Date(Date.parse(`${day}T12:00:00Z`) - 30 * DAY_MS));
    expect(report.made.redemptions).toBeGreaterThan(0);
    expect(report.inDefault.redemptions).toBe(0);
    expect(await whereRows(db, 'redemptions', day)).toEqual([{ partition: partitionName('redemptions', day), n: 5 }]);
    // Run again: nothing to make.
    expect((await ensureMonthPartitions(db.manager, new Date(Date.parse(`${day}T12:00:00Z`) - 30 * DAY_MS))).made).toEqual({ redemptions: 0, ledger_entries: 0, audit_log: 0 });
  });

  it("leaves a table's months to the next run while a reader holds it past the job's wait, and makes them once it is gone", async () => {
    // Two years ahead: months no other test makes (the first one goes to 17 months).
    const later = new Date(Date.now() + 730 * DAY_MS);
    const reader = db.createQueryRunner();
    await reader.startTransaction();
    await reader.query('SELECT count(*) FROM redemptions');
    const blocked = await ensureMonthPartitions(db.manager, later, 200);
    await reader.rollbackTransaction();
    await reader.release();
    expect(blocked.waited).toEqual(['redemptions']);
    expect(blocked.made.redemptions).toBe(0);
    expect(blocked.made.ledger_entries).toBeGreaterThan(0);
    const after = await ensureMonthPartitions(db.manager, later, 200);
    expect(after.waited).toEqual([]);
    expect(after.made.redemptions).toBe(blocked.made.ledger_entries);
  });

  it('makes the next months of every table ahead of need', async () => {
    await ensureMonthPartitions(db.manager);
    const names: Array<{ name: string }> = await db.query(`SELECT to_regclass(n)::text AS name FROM unnest($1::text[]) AS n`, [
      ['redemptions', 'ledger_entries', 'audit_log'].map((table) => partitionName(table, shanghaiMonth(new Date(), 3))),
    ]);
    expect(names.map((row) => row.name)).toEqual(['redemptions', 'ledger_entries', 'audit_log'].map((table) => partitionName(table, shanghaiMonth(new Date(), 3))));
  });

  it('keeps every unique key of a redemption across months', async () => {
    const day = midMonth(-1);
    await seedSettlementDay(db, { merchants: 1, redemptions: 2, businessDate: day });
    const [first, second]: Array<{ id: string; voucher_id: string }> = await db.query(
      'SELECT id, voucher_id FROM redemptions WHERE business_date = $1 ORDER BY id',
      [day],
    );
    const elsewhere = midMonth(1);
    // The same order number of the merchant, in another month's partition.
    expect(await copyRedemption(db, first.id, { public_id: newPublicId(), voucher_id: second.voucher_id, business_date: elsewhere }))
      .toMatchObject({ code: '23505' });
    // The same public id.
    expect(await copyRedemption(db, first.id, { merchant_order_no: `O-${newPublicId()}`, voucher_id: second.voucher_id, business_date: elsewhere }))
      .toMatchObject({ code: '23505', constraint: 'redemption_keys_public_id_key' });
    // A second standing redemption of the voucher.
    expect(await copyRedemption(db, first.id, { public_id: newPublicId(), merchant_order_no: `O-${newPublicId()}`, business_date: elsewhere }))
      .toMatchObject({ code: '23505', constraint: 'redemptions_standing_voucher_key' });
    // Once its discount is taken back, the voucher may stand in another redemption; the first may not stand again.
    await db.query(`UPDATE redemptions SET status = 'refunded' WHERE id = $1 AND business_date = $2`, [first.id, day]);
    expect(await copyRedemption(db, first.id, { public_id: newPublicId(), merchant_order_no: `O-${newPublicId()}`, business_date: elsewhere, status: 'completed' })).toBeNull();
    await expect(db.query(`UPDATE redemptions SET status = 'completed' WHERE id = $1`, [first.id])).rejects.toMatchObject({ driverError: { code: '23505' } });
    // The keys are fixed once written; a new business day moves the row to its month, its keys kept.
    await expect(db.query(`UPDATE redemptions SET merchant_order_no = 'other' WHERE id = $1`, [second.id])).rejects.toThrow(/fixed/);
    await db.query(`UPDATE redemptions SET business_date = $2 WHERE id = $1`, [second.id, elsewhere]);
    expect(await whereRows(db, 'redemptions', elsewhere)).toEqual([{ partition: partitionName('redemptions', elsewhere), n: 2 }]);
    // Each key holds its redemption's day, and follows it to its new month.
    expect(await db.query('SELECT redemption_id AS id, to_char(business_date, \'YYYY-MM-DD\') AS day FROM redemption_keys WHERE redemption_id = ANY ($1) ORDER BY 1', [[first.id, second.id]]))
      .toEqual([{ id: first.id, day }, { id: second.id, day: elsewhere }]);
    expect(await copyRedemption(db, second.id, { public_id: newPublicId(), voucher_id: first.voucher_id })).toMatchObject({ code: '23505', constraint: 'redemptions_merchant_order_key' });
    // A refund refers to a redemption that exists.
    await expect(
      db.query(
        `INSERT INTO refunds (public_id, redemption_id, merchant_id, merchant_refund_no, refund_amount_fen, customer_refund_fen, refunded_by, refunded_at, business_date)
         SELECT $1, -1, merchant_id, 'R-1', 100, 100, gen_random_uuid(), now(), business_date FROM redemptions WHERE id = $2`,
        [newPublicId(), second.id],
      ),
    ).rejects.toMatchObject({ driverError: { code: '23503' } });
  });

  it("plans a settlement build and the figures' recount of a day over that day's month only", async () => {
    const day = midMonth(0);
    const build = await partitionsRead(db, BUILD_CHUNK, ['1', day, 1, '0', null, 'clawback:', 'payable:'], 'redemptions');
    expect(build).toEqual([partitionName('redemptions', day)]);
    const flows = await partitionsRead(db, `SELECT count(*) FROM (${FLOWS_OF_DAYS}) x`, [day, day], 'redemptions');
    // The day's redemptions from its month; a refund's voucher and merchant from its redemption's keys.
    expect(flows).toEqual([partitionName('redemptions', day)]);
  });

  it('archives a month that is over, keeping its keys, and refuses one with unsettled redemptions or not over', async () => {
    const day = midMonth(-2);
    await seedSettlementDay(db, { merchants: 1, redemptions: 3, businessDate: day });
    await ensureMonthPartitions(db.manager, new Date(Date.parse(`${day}T12:00:00Z`) + 30 * DAY_MS));
    expect(await whereRows(db, 'redemptions', day)).toEqual([{ partition: partitionName('redemptions', day), n: 3 }]);
    await expect(archiveMonthPartition(db.manager, 'redemptions', day.slice(0, 7))).rejects.toThrow(/3 redemptions of .* are not settled/);
    await expect(archiveMonthPartition(db.manager, 'audit_log', shanghaiMonth(new Date()).slice(0, 7))).rejects.toThrow(/not over/);

    const [{ id }] = await db.query('SELECT min(id) AS id FROM redemptions WHERE business_date = $1', [day]);
    await db.query('UPDATE redemptions SET settlement_line_id = 0 WHERE business_date = $1', [day]);
    const archived = await archiveMonthPartition(db.manager, 'redemptions', day.slice(0, 7));
    expect(archived).toBe(`archive.${partitionName('redemptions', day)}`);
    expect(await whereRows(db, 'redemptions', day)).toEqual([]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${archived}`)).toEqual([{ n: 3 }]);
    // Its order numbers stay used: a redemption copied from the archived one, into this month, is refused.
    const [copy] = await db.query(`SELECT * FROM ${archived} WHERE id = $1`, [id]);
    await expect(
      db.query(
        `INSERT INTO redemptions (public_id, voucher_id, merchant_id, merchant_order_no, order_amount_fen, discount_fen, city_fen, district_fen,
                                  status, redeemed_at, business_date, cashier_id, code_digest)
         VALUES (gen_random_uuid(), $1, $2, $3, 100, 10, 5, 5, 'reversed', now(), $4, gen_random_uuid(), $5)`,
        [copy.voucher_id, copy.merchant_id, copy.merchant_order_no, midMonth(0), copy.code_digest],
      ),
    ).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'redemptions_merchant_order_key' } });

    // The audit log's month too, with its rows.
    await db.query(
      `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, at) VALUES ('a', 'finance_official', 'test.archive', 'test', 'x', $1::date + interval '12 hours')`,
      [day],
    );
    expect(await archiveMonthPartition(db.manager, 'audit_log', day.slice(0, 7))).toBe(`archive.${partitionName('audit_log', day)}`);
    expect(await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.archive'`)).toEqual([{ n: 0 }]);
    // Each archive is in the audit log (of this month).
    expect(await db.query(`SELECT actor_id, target_id FROM audit_log WHERE action = 'partition.archive' ORDER BY id`)).toEqual([
      { actor_id: ARCHIVE_ACTOR, target_id: archived },
      { actor_id: ARCHIVE_ACTOR, target_id: `archive.${partitionName('audit_log', day)}` },
    ]);
  });

  it("keeps a campaign's vouchers in its own partition, made with the campaign, and their keys across campaigns", async () => {
    const day = midMonth(0);
    await seedSettlementDay(db, { merchants: 1, redemptions: 3, businessDate: day });
    await seedSettlementDay(db, { merchants: 1, redemptions: 2, businessDate: day });
    const [first, second]: Array<{ id: string }> = await db.query('SELECT id FROM campaigns ORDER BY id DESC LIMIT 2').then((rows: Array<{ id: string }>) => rows.reverse());
    // Seeded by SQL, without the use case: their vouchers wait in DEFAULT, until the partition is made.
    expect(await voucherPartitions(db, first.id)).toEqual([{ partition: 'vouchers_default', n: 3 }]);
    // A creation that cannot wait for DEFAULT's lock (a transaction reading it) makes nothing, and says so.
    const reader = db.createQueryRunner();
    await reader.startTransaction();
    await reader.query('SELECT count(*) FROM vouchers_default');
    expect(await ensureCampaignPartition(db.manager, first.id, 100)).toEqual({ made: false, present: false });
    await reader.rollbackTransaction();
    await reader.release();
    expect(await ensureCampaignPartition(db.manager, first.id, 100)).toEqual({ made: true, present: true });
    expect(await ensureCampaignPartition(db.manager, first.id)).toEqual({ made: false, present: true });
    // The daily job's step: every campaign without one (the other tests' seeded campaigns too).
    expect(await ensureCampaignPartitions(db.manager)).toBeGreaterThanOrEqual(1);
    expect(await ensureCampaignPartitions(db.manager)).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM vouchers_default')).toEqual([{ n: 0 }]);
    expect(await voucherPartitions(db, first.id)).toEqual([{ partition: `vouchers_c${first.id}`, n: 3 }]);
    expect(await voucherPartitions(db, second.id)).toEqual([{ partition: `vouchers_c${second.id}`, n: 2 }]);
    // A read by campaign reads its partition only.
    expect(await partitionsRead(db, 'SELECT * FROM vouchers WHERE campaign_id = $1 AND expires_at <= now()', [first.id], 'vouchers')).toEqual([`vouchers_c${first.id}`]);
    // Moved, not copied again: each voucher has its keys once, and the rounds count them once.
    const [{ vouchers, keys }] = await db.query('SELECT (SELECT count(*) FROM vouchers)::int AS vouchers, (SELECT count(*) FROM voucher_keys)::int AS keys');
    expect(keys).toBe(vouchers);
    expect(await db.query('SELECT sum(issued)::int AS issued FROM rounds WHERE campaign_id = $1', [first.id])).toEqual([{ issued: 3 }]);

    const [a, b]: Array<{ id: string; round_id: string }> = await db.query('SELECT id, round_id FROM vouchers WHERE campaign_id = $1 ORDER BY id LIMIT 2', [first.id]);
    const [otherRound] = await db.query('SELECT id FROM rounds WHERE campaign_id = $1 ORDER BY id LIMIT 1', [second.id]);
    // The per-person keys, within the campaign's partition, named for the key.
    expect(await copyVoucher(db, a.id, { public_id: newPublicId() })).toMatchObject({
      code: '23505',
      constraint: expect.stringMatching(new RegExp(`^vouchers_(round_resident|campaign_resident_seq)_key_c${first.id}$`)),
    });
    // In another campaign's partition: the same public id, refused by voucher_keys.
    const [{ public_id: publicId }] = await db.query('SELECT public_id FROM vouchers WHERE id = $1', [b.id]);
    expect(await copyVoucher(db, a.id, { public_id: publicId, campaign_id: second.id, round_id: otherRound.id, person_seq: 9 })).toMatchObject({
      code: '23505',
      constraint: 'voucher_keys_public_id_key',
    });
    // The same resident and Idempotency-Key in another campaign, refused by voucher_keys; another key let in.
    const [{ id: resident }] = await db.query('SELECT id FROM residents r WHERE NOT EXISTS (SELECT 1 FROM voucher_keys k WHERE k.resident_id = r.id) ORDER BY id LIMIT 1');
    const keyed = (campaign: string, round: string, key: string) =>
      db
        .query(
          `INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq, face_value_fen, threshold_fen, claimed_at, expires_at, idempotency_key)
           VALUES ($1, $2, $3, $4, 1, 1000, 4000, now(), now() + interval '1 day', $5) RETURNING id`,
          [newPublicId(), campaign, round, resident, key],
        )
        .then(([row]: Array<{ id: string }>) => row.id)
        .catch((error: { driverError?: { code?: string; constraint?: string } }) => ({ code: error.driverError?.code, constraint: error.driverError?.constraint }));
    const kept = await keyed(second.id, otherRound.id, 'retry-key-1');
    expect(typeof kept).toBe('string');
    expect(await db.query('SELECT tableoid::regclass::text AS partition FROM vouchers WHERE id = $1', [kept])).toEqual([{ partition: `vouchers_c${second.id}` }]);
    expect(await keyed(first.id, a.round_id, 'retry-key-1')).toEqual({ code: '23505', constraint: 'vouchers_resident_idempotency_key' });
    expect(typeof (await keyed(first.id, a.round_id, 'retry-key-2'))).toBe('string');
    // Its keys are fixed; deleting it takes its keys; a redeemed voucher is kept by its redemption's foreign key.
    await expect(db.query(`UPDATE vouchers SET idempotency_key = 'other-key-1' WHERE id = $1`, [kept])).rejects.toThrow(/fixed/);
    await db.query('DELETE FROM vouchers WHERE id = $1', [kept]);
    expect(await db.query('SELECT count(*)::int AS n FROM voucher_keys WHERE voucher_id = $1', [kept])).toEqual([{ n: 0 }]);
    await expect(db.query('DELETE FROM vouchers WHERE id = (SELECT voucher_id FROM redemptions LIMIT 1)')).rejects.toMatchObject({ driverError: { code: '23503' } });
    // A truncate, which the keys' delete trigger would not hear, is refused; nothing goes.
    const [{ before }] = await db.query('SELECT count(*)::int AS before FROM vouchers');
    await expect(db.query('TRUNCATE vouchers')).rejects.toThrow(/not truncated/);
    expect(await db.query('SELECT count(*)::int AS n FROM vouchers')).toEqual([{ n: before }]);
  });

  it("finds the till's voucher, and the one its owner asks a checkout code for, through voucher_keys, entering its campaign's partition only", async () => {
    const day = midMonth(0);
    await seedSettlementDay(db, { merchants: 1, redemptions: 2, businessDate: day });
    await seedSettlementDay(db, { merchants: 1, redemptions: 2, businessDate: day });
    await ensureCampaignPartitions(db.manager);
    const [voucher]: Array<{ publicId: string; campaignId: string; owner: string }> = await db.query(
      `SELECT v.public_id AS "publicId", v.campaign_id AS "campaignId", r.public_id AS owner
         FROM vouchers v JOIN residents r ON r.id = v.resident_id WHERE v.campaign_id = (SELECT max(id) FROM campaigns) LIMIT 1`,
    );
    const [merchant]: Array<{ publicId: string }> = await db.query('SELECT public_id AS "publicId" FROM merchants ORDER BY id DESC LIMIT 1');
    // One request of the till's statement; whether its checks pass or not, its voucher is read.
    const one = <T>(value: T) => [value];
    const params = [
      one(voucher.publicId), one(newPublicId()), one(merchant.publicId), one(newPublicId()), one(5000), one(`order-${newPublicId()}`), one('digest'),
      one(newPublicId()), one(null), one(newPublicId()), 'city', 'district:', 'merchant:', one(0),
    ];
    // Other campaigns' partitions beside it (and DEFAULT), each of which a lookup by public id alone would probe.
    const [{ partitions }] = await db.query(`SELECT count(*)::int AS partitions FROM pg_inherits WHERE inhparent = 'vouchers'::regclass`);
    expect(partitions).toBeGreaterThanOrEqual(3);
    expect(await partitionsEntered(db, REDEEM_BATCH, params, 'vouchers')).toEqual([`vouchers_c${voucher.campaignId}`]);
    expect(await db.query(OWNED_VOUCHER_STATE, [voucher.publicId, voucher.owner])).toEqual([{ status: expect.any(String), expired: expect.any(Boolean) }]);
    expect(await partitionsEntered(db, OWNED_VOUCHER_STATE, [voucher.publicId, voucher.owner], 'vouchers')).toEqual([`vouchers_c${voucher.campaignId}`]);
    // Another person's voucher is not found.
    expect(await db.query(OWNED_VOUCHER_STATE, [voucher.publicId, newPublicId()])).toEqual([]);
  });

  it("reads a resident's own vouchers through voucher_keys, entering only the partitions of campaigns they hold vouchers of", async () => {
    const day = midMonth(0);
    for (let campaign = 0; campaign < 3; campaign += 1) await seedSettlementDay(db, { merchants: 1, redemptions: 2, businessDate: day });
    await ensureCampaignPartitions(db.manager);
    const [voucher]: Array<{ publicId: string; campaignId: string; owner: string; ownerId: string }> = await db.query(
      `SELECT v.public_id AS "publicId", v.campaign_id AS "campaignId", r.public_id AS owner, r.id AS "ownerId"
         FROM vouchers v JOIN residents r ON r.id = v.resident_id WHERE v.campaign_id = (SELECT max(id) FROM campaigns) LIMIT 1`,
    );
    const held: Array<{ partition: string }> = await db.query(
      `SELECT DISTINCT tableoid::regclass::text AS partition FROM vouchers WHERE resident_id = $1 ORDER BY 1`,
      [voucher.ownerId],
    );
    const [{ partitions }] = await db.query(`SELECT count(*)::int AS partitions FROM pg_inherits WHERE inhparent = 'vouchers'::regclass`);
    expect(partitions).toBeGreaterThan(held.length);
    const entered = (query: ReturnType<typeof ownedVouchers>) => {
      const [sql, params] = query.getQueryAndParameters();
      return partitionsEntered(db, sql, params, 'vouchers');
    };
    // The list (as ResidentVouchers.list asks it), one voucher by its public id, and the one of a round.
    const list = ownedVouchers(db, voucher.owner).orderBy('v.publicId', 'DESC').limit(21);
    expect(await list.getMany()).toHaveLength(Number((await db.query('SELECT count(*) AS n FROM vouchers WHERE resident_id = $1', [voucher.ownerId]))[0].n));
    expect(await entered(list)).toEqual(held.map((row) => row.partition));
    const one = ownedVouchers(db, voucher.owner).andWhere('k.publicId = :voucherId', { voucherId: voucher.publicId });
    expect((await one.getMany()).map((found) => found.publicId)).toEqual([voucher.publicId]);
    expect(await entered(one)).toEqual([`vouchers_c${voucher.campaignId}`]);
    const [{ roundId }] = await db.query('SELECT r.public_id AS "roundId" FROM rounds r JOIN vouchers v ON v.round_id = r.id WHERE v.public_id = $1', [voucher.publicId]);
    const ofRound = ownedVouchers(db, voucher.owner).andWhere('r.publicId = :roundId', { roundId });
    expect((await ofRound.getMany()).map((found) => found.publicId)).toEqual([voucher.publicId]);
    expect(await entered(ofRound)).toEqual([`vouchers_c${voucher.campaignId}`]);
    // Not another person's.
    expect(await ownedVouchers(db, newPublicId()).andWhere('k.publicId = :voucherId', { voucherId: voucher.publicId }).getMany()).toEqual([]);
  });

  it("reads the redemption a refund locks, or a till's retry answers with, in its month's partition, and its voucher in its campaign's, through the keys", async () => {
    const day = midMonth(0);
    await ensureMonthPartitions(db.manager);
    for (let campaign = 0; campaign < 2; campaign += 1) await seedSettlementDay(db, { merchants: 1, redemptions: 2, businessDate: day });
    await ensureCampaignPartitions(db.manager);
    const [order]: Array<{ id: string; publicId: string; orderNo: string; merchant: string; campaignId: string; voucherId: string; voucherPublicId: string }> = await db.query(
      `SELECT r.id, r.public_id AS "publicId", r.merchant_order_no AS "orderNo", m.public_id AS merchant, v.campaign_id AS "campaignId",
              v.id AS "voucherId", v.public_id AS "voucherPublicId"
         FROM redemptions r JOIN merchants m ON m.id = r.merchant_id JOIN vouchers v ON v.id = r.voucher_id
        WHERE r.business_date = $1 ORDER BY r.id DESC LIMIT 1`,
      [day],
    );
    const [{ months }] = await db.query(`SELECT count(*)::int AS months FROM pg_inherits WHERE inhparent = 'redemptions'::regclass`);
    expect(months).toBeGreaterThanOrEqual(3);
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      const found = await orderToRefund(runner.manager, order.publicId, order.merchant, day).getOne();
      expect(found?.voucher).toMatchObject({ id: order.voucherId, campaignId: order.campaignId });
      // Another merchant's redemption is not found.
      expect(await orderToRefund(runner.manager, order.publicId, newPublicId(), day).getOne()).toBeNull();
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const [sql, params] = orderToRefund(db.manager, order.publicId, order.merchant, day).getQueryAndParameters();
    expect(await partitionsEntered(db, sql, params, 'redemptions')).toEqual([partitionName('redemptions', day)]);
    expect(await partitionsEntered(db, sql, params, 'vouchers')).toEqual([`vouchers_c${order.campaignId}`]);
    // The refund learns the day from the redemption's keys; an unknown public id has none.
    expect(await placeByPublicId(db.manager, order.publicId)).toEqual({ id: order.id, businessDate: day });
    expect(await placeByPublicId(db.manager, newPublicId())).toBeNull();
    // A key without a date (its month archived before keys held one) places nothing: its redemption is gone.
    await db.query('UPDATE redemption_keys SET business_date = NULL WHERE redemption_id = $1', [order.id]);
    expect(await placeByPublicId(db.manager, order.publicId)).toBeNull();
    await db.query('UPDATE redemption_keys SET business_date = $2 WHERE redemption_id = $1', [order.id, day]);

    // A till's retry: its order number's place from the keys (the merchant's only), then the row planned over its month alone.
    const place = await placeByOrderNo(db, order.merchant, order.orderNo);
    expect(place).toEqual({ id: order.id, businessDate: day });
    expect(await placeByOrderNo(db, order.merchant, 'no-such-order')).toBeNull();
    expect(await placeByOrderNo(db, newPublicId(), order.orderNo)).toBeNull();
    const retry = placedRedemption(db, order.merchant, place!);
    const found = await retry.getOne();
    expect(found && redemptionRowOf(found)).toMatchObject({ publicId: order.publicId, businessDate: day, voucherPublicId: order.voucherPublicId });
    expect(await placedRedemption(db, newPublicId(), place!).getOne()).toBeNull();
    const [retrySql, retryParams] = retry.getQueryAndParameters();
    expect(await partitionsRead(db, retrySql, retryParams, 'redemptions')).toEqual([partitionName('redemptions', day)]);
    // Its voucher's public id from voucher_keys: no campaign's partition.
    expect(await partitionsRead(db, retrySql, retryParams, 'vouchers')).toEqual([]);
  });

  it("archives an ended campaign's vouchers once none can be redeemed and every redemption of them is settled, keeping their keys", async () => {
    const day = midMonth(0);
    await ensureMonthPartitions(db.manager);
    await seedSettlementDay(db, { merchants: 1, redemptions: 3, businessDate: day });
    await ensureCampaignPartitions(db.manager);
    const [campaign]: Array<{ id: string; publicId: string }> = await db.query('SELECT id, public_id AS "publicId" FROM campaigns ORDER BY id DESC LIMIT 1');
    const voucherIds = (await db.query('SELECT id FROM vouchers WHERE campaign_id = $1 ORDER BY id', [campaign.id])).map((row: { id: string }) => row.id);
    expect(voucherIds).toHaveLength(3);

    await expect(archiveCampaignPartition(db.manager, newPublicId())).rejects.toThrow(/no campaign/);
    await expect(archiveCampaignPartition(db.manager, campaign.publicId)).rejects.toThrow(/is active: only an ended campaign/);
    await db.query(`UPDATE campaigns SET status = 'ended' WHERE id = $1`, [campaign.id]);
    await expect(archiveCampaignPartition(db.manager, campaign.publicId)).rejects.toThrow(/3 redemptions of .* not settled/);
    await db.query('UPDATE redemptions SET settlement_line_id = 0 WHERE voucher_id = ANY($1::bigint[])', [voucherIds]);
    // A voucher usable again (a refund took its discount back) keeps the campaign out of the archive.
    await db.query(`UPDATE vouchers SET status = 'claimed', expires_at = now() + interval '1 day' WHERE campaign_id = $1 AND id = $2`, [campaign.id, voucherIds[0]]);
    await expect(archiveCampaignPartition(db.manager, campaign.publicId)).rejects.toThrow(/1 vouchers of .* can still be redeemed/);
    await db.query(`UPDATE vouchers SET status = 'redeemed' WHERE campaign_id = $1 AND id = $2`, [campaign.id, voucherIds[0]]);

    const archived = await archiveCampaignPartition(db.manager, campaign.publicId);
    expect(archived).toBe(`archive.vouchers_c${campaign.id}`);
    expect(await voucherPartitions(db, campaign.id)).toEqual([]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${archived}`)).toEqual([{ n: 3 }]);
    // The keys stay: the redemptions still refer to them, and a public id stays used.
    expect(await db.query('SELECT count(*)::int AS n FROM voucher_keys WHERE campaign_id = $1', [campaign.id])).toEqual([{ n: 3 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${archived} a JOIN voucher_keys k ON k.voucher_id = a.id AND k.public_id = a.public_id`)).toEqual([{ n: 3 }]);
    await expect(archiveCampaignPartition(db.manager, campaign.publicId)).rejects.toThrow(/has no partition of vouchers/);
    expect(await db.query(`SELECT actor_id, target_id FROM audit_log WHERE action = 'partition.archive' AND target_id = $1`, [archived])).toEqual([
      { actor_id: ARCHIVE_ACTOR, target_id: archived },
    ]);
    // Brought back as docs/partitions.md says (and as undoing the partitioning needs): every row where it was.
    await db.query(`ALTER TABLE ${archived} SET SCHEMA public`);
    await db.query(`ALTER TABLE vouchers ATTACH PARTITION vouchers_c${campaign.id} FOR VALUES IN (${campaign.id})`);
    expect(await voucherPartitions(db, campaign.id)).toEqual([{ partition: `vouchers_c${campaign.id}`, n: 3 }]);
  });

  it('goes back to one table each, and forward again, every row kept', async () => {
    const counts = () =>
      db.query(`SELECT (SELECT count(*) FROM redemptions)::int AS redemptions, (SELECT count(*) FROM ledger_entries)::int AS ledger,
                       (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM vouchers)::int AS vouchers,
                       (SELECT relkind FROM pg_class WHERE relname = 'redemptions') AS kind, (SELECT relkind FROM pg_class WHERE relname = 'vouchers') AS "voucherKind",
                       (SELECT array_agg(conname::text ORDER BY conname) FROM pg_constraint WHERE conrelid = 'vouchers'::regclass) AS "voucherKeys"`);
    const [before] = await counts();
    expect([before.kind, before.voucherKind]).toEqual(['p', 'p']);
    // The migrations after these (which do not touch them), then PartitionedVouchers.
    await undoThrough(db, 'PartitionedVouchers1796750000000');
    const [plain] = await counts();
    expect(plain).toEqual({ ...before, voucherKind: 'r', voucherKeys: expect.any(Array) });
    expect(plain.voucherKeys).toEqual(['PK_ed1b7dd909a696560763acdbc04', 'UQ_1c7383a4c3044166c5f12e90fa4', 'vouchers_campaign_resident_seq_key', 'vouchers_resident_idempotency_key', 'vouchers_round_resident_key']);
    await undoThrough(db, 'PartitionedHistory1796740000000');
    expect(await counts()).toEqual([{ ...plain, kind: 'r' }]);
    await db.runMigrations();
    expect(await counts()).toEqual([before]);
    expect(await db.query('SELECT count(*)::int AS n FROM redemption_keys')).toEqual([{ n: before.redemptions }]);
    expect(await db.query('SELECT count(*)::int AS n FROM voucher_keys')).toEqual([{ n: before.vouchers }]);
    // Every campaign has its partition again, its vouchers in it.
    expect(await db.query(`SELECT count(*)::int AS n FROM vouchers_default`)).toEqual([{ n: 0 }]);
  });

  it('keeps the ledger and the audit log append-only through the parent', async () => {
    await expect(db.query('UPDATE ledger_entries SET debit_fen = debit_fen')).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
