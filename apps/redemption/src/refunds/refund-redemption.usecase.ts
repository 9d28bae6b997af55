import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, merchantIdOf } from '@vouchers/auth';
import { AppError, isPublicId, newPublicId } from '@vouchers/common';
import { holdDayForRefund, ledgerAccounts, postToLedger, sqlStateOf } from '@vouchers/database';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { DataSource, EntityManager } from 'typeorm';
import { RefundDto } from './refund.dto';
import { RefundErrorCode as Code } from './refund-errors';
import { decideRefund } from './refund-policy';
import { REFUND_COLUMNS, RefundRow, RefundView, refundView } from './refund.view';

export interface RefundResult {
  created: boolean;
  refund: RefundView;
}

interface OrderRow {
  id: string;
  public_id: string;
  merchant_id: string;
  merchant_public_id: string;
  merchant_district: string;
  voucher_id: string;
  order_amount_fen: string;
  refunded_amount_fen: string;
  discount_fen: string;
  city_fen: string;
  district_fen: string;
  status: string;
  settled: boolean;
  threshold_fen: string;
  partial_refund_policy: 'reverse_below_threshold' | 'keep_discount';
  actor_active: boolean;
}

const STANDING = new Set(['completed', 'partly_refunded']);

/**
 * A refund at the till (DESIGN §6), in one transaction holding the redemption's row lock.
 * When it takes the discount back (refund-policy.ts), the voucher is usable again if it has
 * not expired (otherwise it is marked expired), and the subsidy is reversed in the ledger;
 * if that subsidy was already settled, a clawback for the next batch is recorded instead,
 * and the paid batch is left as it is.
 */
@Injectable()
export class RefundRedemption {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(actor: AuthUser, redemptionId: string, request: RefundDto): Promise<RefundResult> {
    const merchantId = merchantIdOf(actor);
    if (!isPublicId(redemptionId)) throw new AppError(Code.RedemptionNotFound, 'This merchant has no such redemption');
    try {
      return await this.refund(actor, merchantId, redemptionId, request);
    } catch (error) {
      // The same refund number committed first on another of this merchant's redemptions: answer as a retry would.
      if (sqlStateOf(error) === '23505' && (error as { driverError?: { constraint?: string } }).driverError?.constraint === 'refunds_merchant_refund_key') {
        return this.refund(actor, merchantId, redemptionId, request);
      }
      throw error;
    }
  }

  private refund(actor: AuthUser, merchantId: string, redemptionId: string, request: RefundDto): Promise<RefundResult> {
    return this.db.transaction(async (manager) => {
      const [day]: Array<{ business_date: string }> = await manager.query(
        `SELECT to_char(business_date, 'YYYY-MM-DD') AS business_date FROM redemptions WHERE public_id = $1`,
        [redemptionId],
      );
      if (day) await holdDayForRefund(manager, day.business_date);
      const [order]: OrderRow[] = await manager.query(
        `SELECT r.id, r.public_id, r.merchant_id, m.public_id AS merchant_public_id, m.district AS merchant_district, r.voucher_id, r.order_amount_fen,
                r.refunded_amount_fen, r.discount_fen, r.city_fen, r.district_fen, r.status,
                r.settlement_line_id IS NOT NULL AS settled, v.threshold_fen, c.partial_refund_policy,
                EXISTS (SELECT 1 FROM merchant_staff s WHERE s.merchant_id = m.id AND s.public_id = $3 AND s.disabled_at IS NULL) AS actor_active
           FROM redemptions r
           JOIN merchants m ON m.id = r.merchant_id
           JOIN vouchers v ON v.id = r.voucher_id
           JOIN campaigns c ON c.id = v.campaign_id
          WHERE r.public_id = $1 AND m.public_id = $2
            FOR UPDATE OF r`,
        [redemptionId, merchantId, actor.sub],
      );
      if (!order) throw new AppError(Code.RedemptionNotFound, 'This merchant has no such redemption');
      if (!order.actor_active) throw new AppError(MerchantCallerErrorCode.StaffInactive, 'This staff account is not active at this merchant');

      const [earlier]: RefundRow[] = await manager.query(
        `SELECT ${REFUND_COLUMNS} FROM refunds f JOIN redemptions r ON r.id = f.redemption_id
          WHERE f.merchant_id = $1 AND f.merchant_refund_no = $2`,
        [order.merchant_id, request.merchantRefundNo],
      );
      if (earlier) {
        if (earlier.redemption_id !== order.id || Number(earlier.refund_amount_fen) !== request.refundAmountFen) {
          throw new AppError(Code.RefundNoConflict, 'This refund number was already used for another refund', { refundId: earlier.public_id });
        }
        return { created: false, refund: refundView(earlier) };
      }

      const discountFen = Number(order.discount_fen);
      const decision = decideRefund(
        {
          orderAmountFen: Number(order.order_amount_fen),
          refundedAmountFen: Number(order.refunded_amount_fen),
          discountFen,
          thresholdFen: Number(order.threshold_fen),
          discountStands: STANDING.has(order.status),
          policy: order.partial_refund_policy,
        },
        request.refundAmountFen,
      );
      if (!decision.ok && decision.reason === 'EXCEEDS_ORDER') {
        throw new AppError(Code.RefundExceedsOrder, 'The refund is more than is left of the order', {
          refundableFen: Number(order.order_amount_fen) - Number(order.refunded_amount_fen),
        });
      }
      if (!decision.ok) {
        throw new AppError(Code.RefundLessThanDiscount, 'This refund would take back a discount larger than itself; refund more of the order', {
          discountFen,
        });
      }

      const refundPublicId = newPublicId();
      const reversed = decision.reverseDiscount ? { total: discountFen, city: Number(order.city_fen), district: Number(order.district_fen) } : null;
      const [inserted]: Array<{ id: string; refunded_at: Date; business_date: string }> = await manager.query(
        `INSERT INTO refunds (public_id, redemption_id, merchant_id, merchant_refund_no, refund_amount_fen, customer_refund_fen,
                              discount_reversed_fen, city_fen, district_fen, refunded_by, refunded_at, business_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), (now() AT TIME ZONE 'Asia/Shanghai')::date)
         RETURNING id, refunded_at, to_char(business_date, 'YYYY-MM-DD') AS business_date`,
        [
          refundPublicId,
          order.id,
          order.merchant_id,
          request.merchantRefundNo,
          request.refundAmountFen,
          decision.customerRefundFen,
          reversed?.total ?? 0,
          reversed?.city ?? 0,
          reversed?.district ?? 0,
          actor.sub,
        ],
      );
      await manager.query('UPDATE redemptions SET refunded_amount_fen = $2, status = $3 WHERE id = $1', [
        order.id,
        decision.refundedAmountFen,
        decision.status,
      ]);
      if (reversed) {
        await manager.query(
          `UPDATE vouchers SET status = CASE WHEN expires_at > now() THEN 'claimed' ELSE 'expired' END, redeemed_at = NULL
            WHERE id = $1 AND status = 'redeemed'`,
          [order.voucher_id],
        );
        await this.takeBackSubsidy(manager, order, inserted.id, refundPublicId, reversed);
      }
      const refund = refundView({
        public_id: refundPublicId,
        redemption_public_id: order.public_id,
        redemption_id: order.id,
        merchant_refund_no: request.merchantRefundNo,
        refund_amount_fen: request.refundAmountFen,
        customer_refund_fen: decision.customerRefundFen,
        discount_reversed_fen: reversed?.total ?? 0,
        clawback: reversed !== null && order.settled,
        refunded_at: inserted.refunded_at,
        business_date: inserted.business_date,
      });
      return { created: true, refund };
    });
  }

  /**
   * Unsettled: the redemption's posting is reversed (the merchant is owed it no more).
   * Settled: the merchant was paid it, so it owes it back: a clawback, netted by the next batch.
   */
  private async takeBackSubsidy(
    manager: EntityManager,
    order: OrderRow,
    refundId: string,
    refundPublicId: string,
    amounts: { total: number; city: number; district: number },
  ): Promise<void> {
    const budgets = [
      { account: ledgerAccounts.cityBudget, creditFen: amounts.city },
      { account: ledgerAccounts.districtBudget(order.merchant_district), creditFen: amounts.district },
    ];
    if (!order.settled) {
      await postToLedger(manager, {
        refType: 'refund',
        refId: refundPublicId,
        legs: [{ account: ledgerAccounts.payable(order.merchant_public_id), debitFen: amounts.total }, ...budgets],
      });
      return;
    }
    const clawbackId = newPublicId();
    await manager.query(
      `INSERT INTO clawbacks (public_id, refund_id, merchant_id, amount_fen, city_fen, district_fen) VALUES ($1, $2, $3, $4, $5, $6)`,
      [clawbackId, refundId, order.merchant_id, amounts.total, amounts.city, amounts.district],
    );
    await postToLedger(manager, {
      refType: 'clawback',
      refId: clawbackId,
      legs: [{ account: ledgerAccounts.clawback(order.merchant_public_id), debitFen: amounts.total }, ...budgets],
    });
  }
}
