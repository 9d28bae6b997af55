import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CheckoutRig, TestTill } from './support/checkout';
import { downloadPayoutFile, giveBankAccount, resultsFile, uploadBankResults } from './support/payouts';
import { approveBatch, lineOfMerchant, linesOfBatch, settleDay, settlementOverTills, unusedBusinessDay } from './support/settlement';

const FACE = 1000;
const ORDER = 8000;

/**
 * Batches of different days built at the same time, on a database of this file's own: a build
 * takes over every merchant's open failed lines and clawbacks, so no other file's may be there.
 */
describe('settlement: batches built at the same time', () => {
  const rig = new CheckoutRig();
  let settlement: NestFastifyApplication;
  let db: DataSource;
  const redeem = (till: TestTill) => rig.redeemNew(till, FACE, ORDER);

  const apps = settlementOverTills(rig);
  beforeAll(() => {
    [settlement, db] = [apps.app(), apps.db()];
  });

  /**
   * Builds of two days at once (the worker runs two jobs side by side) over a merchant with an
   * open failed line and an open clawback: each is taken by one of the lines, never by both. A
   * session of the test holds the row, so both builds reach it before either has taken it.
   */
  it('carries a failed line and nets a clawback into one of two batches built at once, never both', async () => {
    const [failing, refunding] = await Promise.all([rig.till(), rig.till()]);
    await giveBankAccount(db, failing.merchantId, { name: '甬城面馆', bank: '宁波银行', number: '6214830012345678901' });
    await giveBankAccount(db, refunding.merchantId, { name: '甬城书店', bank: '宁波银行', number: '6214830012345678902' });
    const refunded = await redeem(refunding);
    const ids = [await redeem(failing), refunded];
    const day = await unusedBusinessDay(db);
    await db.query('UPDATE redemptions SET business_date = $2 WHERE public_id = ANY($1::uuid[])', [ids, day]);
    const first = await settleDay(settlement, day);
    const failed = lineOfMerchant(await linesOfBatch(settlement, first.id as string), failing);
    await approveBatch(settlement, first.id as string);
    await downloadPayoutFile(settlement, first.id as string).expect(200);
    await uploadBankResults(settlement, first.id as string, resultsFile([[failed.id, 'failed', '账户冻结']])).expect(200);
    expect((await rig.refund(refunding, refunded, ORDER).expect(201)).body).toMatchObject({ clawback: true, discountReversedFen: FACE });
    // Each of the next two days has a redemption of the refunding merchant, enough to net the clawback in either.
    const days: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = await redeem(refunding);
      days.push(await unusedBusinessDay(db));
      await db.query('UPDATE redemptions SET business_date = $2 WHERE public_id = $1', [id, days[i]]);
    }

    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    let builds: Array<Promise<Record<string, unknown>>>;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM settlement_lines WHERE public_id = $1 FOR UPDATE', [failed.id]);
      await holder.query(
        'SELECT 1 FROM clawbacks c JOIN merchants m ON m.id = c.merchant_id WHERE m.public_id = $1 AND c.settlement_line_id IS NULL FOR UPDATE OF c',
        [refunding.merchantId],
      );
      builds = days.map((businessDate) => settleDay(settlement, businessDate));
      await waitForChunksOnLocks(2);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const batches = await Promise.all(builds);

    const taken = await db.query(
      `SELECT m.public_id AS merchant, l.carried_fen::int AS carried, l.clawback_fen::int AS netted, l.amount_fen::int AS amount
         FROM settlement_lines l JOIN merchants m ON m.id = l.merchant_id JOIN settlement_batches b ON b.id = l.batch_id
        WHERE b.public_id = ANY($1::uuid[]) AND m.public_id = ANY($2::uuid[])`,
      [batches.map((batch) => batch.id), [failing.merchantId, refunding.merchantId]],
    );
    const ofMerchant = (merchantId: string) => taken.filter((line: { merchant: string }) => line.merchant === merchantId);
    // The failed merchant has nothing new: one line, in one batch, carrying the failed amount once.
    expect(ofMerchant(failing.merchantId)).toEqual([{ merchant: failing.merchantId, carried: FACE, netted: 0, amount: FACE }]);
    // The refunding merchant has a line in each batch; the clawback is netted in one of them.
    const refundingLines = ofMerchant(refunding.merchantId);
    expect(refundingLines).toHaveLength(2);
    expect(refundingLines.map((line: { netted: number }) => line.netted).sort()).toEqual([0, FACE]);
    expect(refundingLines.map((line: { amount: number }) => line.amount).sort()).toEqual([0, FACE]);
    const [{ netted }] = await db.query(
      `SELECT count(*)::int AS netted FROM ledger_entries WHERE ref_type = 'settlement_line' AND account = $1`,
      [`clawback:merchant:${refunding.merchantId}`],
    );
    expect(netted).toBe(1);
  });

  /** Resolves once `count` chunk builds wait on a row lock (the statement of build-chunk.sql.ts, by its start: pg_stat_activity keeps 1 kB of it). */
  async function waitForChunksOnLocks(count: number): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const [{ waiting }] = await db.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH day AS (%'`,
      );
      if (waiting >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const activity = await db.query(
      `SELECT wait_event_type, wait_event, state, left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query FROM pg_stat_activity WHERE datname = current_database()`,
    );
    throw new Error(`fewer than ${count} chunk builds wait on a lock: ${JSON.stringify(activity)}`);
  }
});
