import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Role } from '@vouchers/auth';
import { maskBankAccount, newPublicId, sealBankAccount } from '@vouchers/common';
import { VoucherCodes } from '@vouchers/voucher-code';
import { DataSource } from 'typeorm';
import { testConfig } from './apps';
import { createActiveCampaign, createOpenLottery } from './campaigns';
import { CheckoutRig, grabVoucher, markSettled } from './checkout';
import { insertMerchantWithStaff, randomAccountNumber, randomPhoneStarting } from './merchant-accounts';
import { readyOfficial } from './officials';
import { TOKENS } from './openapi';
import { createVerifiedResidents } from './residents';
import { tokenFor } from './tokens';

/**
 * Where test/hostile-inputs starts its sweeps: the documented examples as they are, and the
 * same examples on things that exist, with the tokens of those who hold them.
 */

/** A value good for one request, drawn from the app being swept. */
export type Fresh = (app: NestFastifyApplication) => Promise<string>;

/** Where a sweep starts: path values by parameter name over the example's, and one caller of each role. */
export interface Start {
  what: string;
  pathValues: Record<string, string>;
  /** The roundId of a lottery's routes (sign-up, draw), which answer NOT_A_LOTTERY to a first-come round. */
  lotteryRoundId?: string;
  tokens: string[];
  /**
   * Values spent by the request that uses them (a checkout code by its scan, a bank account
   * change by its decision), drawn anew for each request of an operation: by the operation's
   * label, then by path parameter or top-level body field. Spoiled parts are sent as spoiled.
   */
  fresh: Record<string, Record<string, Fresh>>;
  /**
   * What a spoiled request wrote that it must not have, whatever it was answered (a 2xx for an
   * out-of-range value is not refused by the sweep otherwise): by the operation's label, given
   * the fresh values the request was sent with; null when it wrote nothing.
   */
  wroteBy: Record<string, (app: NestFastifyApplication, fresh: Record<string, string>) => Promise<string | null>>;
}

export const FROM_EXAMPLE: Start = { what: 'from its example', pathValues: {}, tokens: TOKENS, fresh: {}, wroteBy: {} };

/** Vouchers held and claimed for the checkout's fresh codes: a scan that goes through uses one up. */
const CODE_VOUCHERS = 5;
/** Unsettled redemptions for the refund's fresh ones: a refund that goes through (the example as it is, by the till's two roles) uses one up. */
const REFUND_ORDERS = 6;
/** The order each of them redeemed: the example's refund (2,000 fen) is taken from it, and takes the discount back below the threshold. */
const REFUND_ORDER_FEN = 5000;

/**
 * A fresh checkout code of the first voucher of `pool` still claimed, signed and recorded by the
 * redemption app as issuance would, so a spoiled scan beside it is refused for what was spoiled
 * and nothing else: a wrong-typed amount taken would redeem (2xx) instead of failing on the code.
 */
function freshCode(pool: Array<{ voucherId: string; residentId: string }>): Fresh {
  return async (app) => {
    const claimed: Array<{ public_id: string }> = await app
      .get(DataSource)
      .query(`SELECT public_id FROM vouchers WHERE public_id = ANY($1) AND status = 'claimed'`, [pool.map((held) => held.voucherId)]);
    const next = pool.find((held) => claimed.some((row) => row.public_id === held.voucherId));
    if (!next) throw new Error(`all ${pool.length} vouchers for fresh checkout codes were redeemed: more scans went through than the sweep expects`);
    return (await app.get(VoucherCodes).issue(next.voucherId, next.residentId)).code;
  };
}

/**
 * A fresh unsettled redemption: the first of `pool` that no refund has touched, so a spoiled
 * refund beside it reaches the refund's own rules and SQL (an amount the order could not take,
 * the discount's reversal, the ledger) instead of a refusal of the redemption's state.
 */
function freshRedemption(pool: string[]): Fresh {
  return async (app) => {
    const untouched: Array<{ public_id: string }> = await app.get(DataSource).query(
      `SELECT r.public_id FROM redemptions r
        WHERE r.public_id = ANY($1) AND r.refunded_amount_fen = 0 AND r.settlement_line_id IS NULL
          AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.redemption_id = r.id)`,
      [pool],
    );
    const next = pool.find((id) => untouched.some((row) => row.public_id === id));
    if (!next) throw new Error(`all ${pool.length} redemptions for fresh refunds were refunded: more refunds went through than the sweep expects`);
    return next;
  };
}

/** A refund written on the request's fresh redemption, said; null when there is none. */
async function refundWritten(app: NestFastifyApplication, fresh: Record<string, string>): Promise<string | null> {
  if (!fresh.redemptionId) return null;
  const [written]: Array<{ refunds: number; refunded: number; status: string }> = await app.get(DataSource).query(
    `SELECT (SELECT count(*)::int FROM refunds f WHERE f.redemption_id = r.id) AS refunds, r.refunded_amount_fen AS refunded, r.status
       FROM redemptions r WHERE r.public_id = $1`,
    [fresh.redemptionId],
  );
  if (!written || (written.refunds === 0 && Number(written.refunded) === 0)) return null;
  return `it wrote ${written.refunds} refund(s) on redemption ${fresh.redemptionId}: ${written.refunded} fen refunded, ${written.status}`;
}

/**
 * A fresh pending change of the merchant's bank account, as its admin's request leaves it (the
 * one before withdrawn: a merchant has at most one pending), so each decision reaches its own.
 */
function freshBankAccountChange(merchantId: string, adminId: string): Fresh {
  const key = testConfig().bankAccountKey;
  return (app) =>
    app.get(DataSource).transaction(async (manager) => {
      const [merchant]: Array<{ id: string }> = await manager.query('SELECT id FROM merchants WHERE public_id = $1 FOR UPDATE', [merchantId]);
      await manager.query(
        `UPDATE merchant_bank_account_changes SET status = 'withdrawn', decided_by = $2, decided_at = now(), reason = 'Replaced by a later request'
          WHERE merchant_id = $1 AND status = 'pending'`,
        [merchant.id, adminId],
      );
      const number = randomAccountNumber();
      const changeId = newPublicId();
      await manager.query(
        `INSERT INTO merchant_bank_account_changes (public_id, merchant_id, bank_account_name, bank_name, bank_account_cipher, bank_account_masked, requested_by)
         VALUES ($1, $2, '宁波敌意测试有限公司', '宁波银行', $3, $4, $5)`,
        [changeId, merchant.id, sealBankAccount(number, key), maskBankAccount(number), adminId],
      );
      return changeId;
    });
}

/** Things that exist, made once for the file, and the tokens of those who hold them. */
export async function thingsThatExist(): Promise<Start> {
  const rig = await new CheckoutRig().start();
  try {
    const till = await rig.till();
    const campaign = await createActiveCampaign(rig.issuance, { quantity: [10 + CODE_VOUCHERS + REFUND_ORDERS] });
    const { resident, voucherId } = await rig.voucherFor();
    const redemptionId = await rig.redeemNew(till, 1000, 5000);
    await markSettled(rig.db, redemptionId);
    const [line]: Array<{ batchId: string; lineId: string }> = await rig.db.query(
      `SELECT b.public_id AS "batchId", l.public_id AS "lineId"
         FROM redemptions r JOIN settlement_lines l ON l.id = r.settlement_line_id JOIN settlement_batches b ON b.id = l.batch_id
        WHERE r.public_id = $1`,
      [redemptionId],
    );
    const codeVouchers = [];
    for (const holder of await createVerifiedResidents(rig.db, CODE_VOUCHERS)) {
      codeVouchers.push({ voucherId: await grabVoucher(rig.issuance, holder, campaign.rounds[0]), residentId: holder.id });
    }
    const refundOrders: string[] = [];
    for (const holder of await createVerifiedResidents(rig.db, REFUND_ORDERS)) {
      const held = await grabVoucher(rig.issuance, holder, campaign.rounds[0]);
      refundOrders.push((await rig.scan(till, await rig.code(holder, held), REFUND_ORDER_FEN).expect(201)).body.redemptionId as string);
    }
    // The staff member the sweep disables and enables: not the cashier whose token it scans with, which that would make stale.
    const staffId = newPublicId();
    await rig.db.query(
      `INSERT INTO merchant_staff (public_id, merchant_id, phone, name, role)
       SELECT $1, id, $2, '收银员二', 'merchant_staff' FROM merchants WHERE public_id = $3`,
      [staffId, randomPhoneStarting('16'), till.merchantId],
    );
    // Its own merchant: the till's admin asks for changes of its own account in the sweep, which would withdraw these.
    const payee = await insertMerchantWithStaff(rig.db);
    const official = await readyOfficial(rig.db, randomPhoneStarting('13'));
    const lotteryRoundId = await createOpenLottery(rig.issuance, rig.db);
    let orderNo = 0;
    return {
      what: 'on things that exist',
      lotteryRoundId,
      pathValues: {
        campaignId: campaign.id,
        roundId: campaign.rounds[0],
        voucherId,
        merchantId: till.merchantId,
        staffId,
        redemptionId,
        batchId: line.batchId,
        lineId: line.lineId,
        officialId: official.id,
        residentId: resident.id,
      },
      tokens: [
        resident.token,
        till.cashierToken,
        till.adminToken,
        ...[Role.CommerceOfficial, Role.FinanceOfficial, Role.Auditor, Role.OfficialAdmin].map((role) => tokenFor({ role }, { expiresIn: 3600 })),
      ],
      fresh: {
        'POST /v1/redemptions': {
          code: freshCode(codeVouchers),
          merchantOrderNo: () => Promise.resolve(`HOSTILE-${process.pid}-${Date.now()}-${++orderNo}`),
        },
        'POST /v1/merchants/bank-account-changes/{changeId}/decisions': {
          changeId: freshBankAccountChange(payee.merchantId, payee.adminId),
        },
        // Not the settled redemption above, nor the example's refund number: once the first refund took that number, every
        // later request that passed validation was answered REFUND_NO_CONFLICT (or as a retry) before the refund's own rules and SQL.
        'POST /v1/redemptions/{redemptionId}/refunds': {
          redemptionId: freshRedemption(refundOrders),
          merchantRefundNo: () => Promise.resolve(`HOSTILE-RF-${process.pid}-${Date.now()}-${++orderNo}`),
        },
      },
      wroteBy: { 'POST /v1/redemptions/{redemptionId}/refunds': refundWritten },
    };
  } finally {
    await rig.stop();
  }
}
