import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, merchantIdOf } from '@vouchers/auth';
import { AppError, isPublicId, newPublicId } from '@vouchers/common';
import {
  Campaign,
  Clawback,
  holdDayForRefund,
  ledgerAccounts,
  Merchant,
  postToLedger,
  Redemption,
  Refund,
  sqlStateOf,
  Voucher,
  VoucherKey,
} from '@vouchers/database';
import { requireMerchantCaller } from '@vouchers/merchant-caller';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { placeByPublicId } from '../checkout/redemption-place';
import { RefundDto } from './refund.dto';
import { RefundErrorCode as Code } from './refund-errors';
import { decideRefund, RefundableOrder } from './refund-policy';
import { refundReads, refundRowOf } from './refund-reads';
import { RefundView, refundView } from './refund.view';

export interface RefundResult {
  created: boolean;
  refund: RefundView;
}

/** The redemption a refund holds locked, with its merchant's, voucher's and campaign's facts. */
type Order = Pick<
  Redemption,
  | 'id'
  | 'publicId'
  | 'merchantId'
  | 'merchantDistrict'
  | 'merchantCategory'
  | 'voucherId'
  | 'orderAmountFen'
  | 'refundedAmountFen'
  | 'discountFen'
  | 'cityFen'
  | 'districtFen'
  | 'status'
  | 'settlementLineId'
  | 'businessDate'
> & {
  merchant: Pick<Merchant, 'id' | 'publicId'>;
  voucher: Pick<Voucher, 'id' | 'campaignId' | 'thresholdFen'> & { campaign: Pick<Campaign, 'id' | 'partialRefundPolicy'> };
};

const STANDING = new Set(['completed', 'partly_refunded']);
/** A refund's business day: the Asia/Shanghai date of the database's clock, as a redemption's. */
const BUSINESS_DATE_NOW = "(now() AT TIME ZONE 'Asia/Shanghai')::date";
/** What a new refund's view needs back from its insert (the day as the entity holds it, YYYY-MM-DD). */
const SAVED_REFUND = `id, refunded_at AS "refundedAt", to_char(business_date, 'YYYY-MM-DD') AS "businessDate"`;

/**
 * The merchant's redemption with what a refund decides on, its row locked (FOR UPDATE OF r)
 * until the transaction ends. Read in its business day's month partition, and its voucher
 * through voucher_keys by (campaign, id): one partition of each, where a read by id alone
 * would probe every month's and every campaign's.
 */
export function orderToRefund(manager: EntityManager, redemptionId: string, merchantId: string, businessDate: string): SelectQueryBuilder<Redemption> {
  return manager
    .getRepository(Redemption)
    .createQueryBuilder('r')
    .select(['r.id', 'r.publicId', 'r.merchantId', 'r.merchantDistrict', 'r.merchantCategory', 'r.voucherId', 'r.orderAmountFen', 'r.refundedAmountFen'])
    .addSelect(['r.discountFen', 'r.cityFen', 'r.districtFen', 'r.status', 'r.settlementLineId', 'r.businessDate', 'm.id', 'm.publicId'])
    .addSelect(['v.id', 'v.campaignId', 'v.thresholdFen', 'c.id', 'c.partialRefundPolicy'])
    .innerJoin('r.merchant', 'm')
    .innerJoin(VoucherKey, 'k', 'k.voucherId = r.voucherId')
    .innerJoin('r.voucher', 'v', 'v.campaignId = k.campaignId')
    .innerJoin('v.campaign', 'c')
    .where('r.publicId = :redemptionId AND r.businessDate = :businessDate AND m.publicId = :merchantId', { redemptionId, businessDate, merchantId })
    .setLock('pessimistic_write', undefined, ['r']);
}

/**
 * A refund at the till (DESIGN §6), in one transaction holding the redemption's row lock.
 * When it takes the discount back (refund-policy.ts), the voucher is usable again if it has
 * not expired (otherwise it is marked expired), and the subsidy is reversed in the ledger;
 * if that subsidy was already settled, a clawback for the next batch is recorded instead,
 * and the paid batch is left as it is. The caller's staff row is read first in the same
 * transaction and held (FOR SHARE) to its end: a cashier's disabling commits wholly before the
 * refund (refused, 403 STAFF_INACTIVE) or after it, never between the check and the refund.
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
      await requireMerchantCaller(manager, actor, { lockStaff: true });
      const place = await placeByPublicId(manager, redemptionId);
      if (!place) throw new AppError(Code.RedemptionNotFound, 'This merchant has no such redemption');
      await holdDayForRefund(manager, place.businessDate);
      const order = (await orderToRefund(manager, redemptionId, merchantId, place.businessDate).getOne()) as Order | null;
      if (!order) throw new AppError(Code.RedemptionNotFound, 'This merchant has no such redemption');

      const found = await refundReads(manager)
        .where('f.merchantId = :merchantId AND f.merchantRefundNo = :refundNo', { merchantId: order.merchantId, refundNo: request.merchantRefundNo })
        .getOne();
      if (found) {
        const earlier = refundRowOf(found);
        if (earlier.redemptionId !== order.id || earlier.refundAmountFen !== request.refundAmountFen) {
          throw new AppError(Code.RefundNoConflict, 'This refund number was already used for another refund', { refundId: earlier.publicId });
        }
        return { created: false, refund: refundView(earlier) };
      }

      const discountFen = order.discountFen;
      const decision = decideRefund(
        {
          orderAmountFen: order.orderAmountFen,
          refundedAmountFen: order.refundedAmountFen,
          discountFen,
          thresholdFen: order.voucher.thresholdFen,
          discountStands: STANDING.has(order.status),
          policy: order.voucher.campaign.partialRefundPolicy as RefundableOrder['policy'],
        },
        request.refundAmountFen,
      );
      if (!decision.ok && decision.reason === 'EXCEEDS_ORDER') {
        throw new AppError(Code.RefundExceedsOrder, 'The refund is more than is left of the order', {
          refundableFen: order.orderAmountFen - order.refundedAmountFen,
        });
      }
      if (!decision.ok) {
        throw new AppError(Code.RefundLessThanDiscount, 'This refund would take back a discount larger than itself; refund more of the order', {
          discountFen,
        });
      }

      const refundPublicId = newPublicId();
      const reversed = decision.reverseDiscount ? { total: discountFen, city: order.cityFen, district: order.districtFen } : null;
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Refund)
        .values({
          publicId: refundPublicId,
          redemptionId: order.id,
          merchantId: order.merchantId,
          merchantDistrict: order.merchantDistrict,
          merchantCategory: order.merchantCategory,
          merchantRefundNo: request.merchantRefundNo,
          refundAmountFen: request.refundAmountFen,
          customerRefundFen: decision.customerRefundFen,
          discountReversedFen: reversed?.total ?? 0,
          cityFen: reversed?.city ?? 0,
          districtFen: reversed?.district ?? 0,
          refundedBy: actor.sub,
          refundedAt: () => 'now()',
          businessDate: () => BUSINESS_DATE_NOW,
        })
        .returning(SAVED_REFUND)
        .execute();
      const saved = (inserted.raw as Array<Pick<Refund, 'id' | 'refundedAt' | 'businessDate'>>)[0];
      // With the business date, the update goes to the redemption's month partition only.
      await manager.update(Redemption, { id: order.id, businessDate: order.businessDate }, { refundedAmountFen: decision.refundedAmountFen, status: decision.status });
      if (reversed) {
        await manager
          .createQueryBuilder()
          .update(Voucher)
          .set({ status: () => "CASE WHEN expires_at > now() THEN 'claimed' ELSE 'expired' END", redeemedAt: null })
          // With the campaign, the update goes to the voucher's campaign partition only.
          .where('id = :id AND campaign_id = :campaignId AND status = :redeemed', { id: order.voucherId, campaignId: order.voucher.campaignId, redeemed: 'redeemed' })
          .execute();
        await this.takeBackSubsidy(manager, order, saved.id, refundPublicId, reversed);
      }
      const refund = refundView({
        publicId: refundPublicId,
        redemptionPublicId: order.publicId,
        redemptionId: order.id,
        merchantRefundNo: request.merchantRefundNo,
        refundAmountFen: request.refundAmountFen,
        customerRefundFen: decision.customerRefundFen,
        discountReversedFen: reversed?.total ?? 0,
        clawback: reversed !== null && order.settlementLineId !== null,
        refundedAt: saved.refundedAt,
        businessDate: saved.businessDate,
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
    order: Order,
    refundId: string,
    refundPublicId: string,
    amounts: { total: number; city: number; district: number },
  ): Promise<void> {
    const budgets = [
      { account: ledgerAccounts.cityBudget, creditFen: amounts.city },
      // The district whose budget paid the share at the redemption, wherever the merchant is now.
      { account: ledgerAccounts.districtBudget(order.merchantDistrict), creditFen: amounts.district },
    ];
    if (order.settlementLineId === null) {
      await postToLedger(manager, {
        refType: 'refund',
        refId: refundPublicId,
        legs: [{ account: ledgerAccounts.payable(order.merchant.publicId), debitFen: amounts.total }, ...budgets],
      });
      return;
    }
    const clawbackId = newPublicId();
    await manager.insert(Clawback, {
      publicId: clawbackId,
      refundId,
      merchantId: order.merchantId,
      amountFen: amounts.total,
      cityFen: amounts.city,
      districtFen: amounts.district,
    });
    await postToLedger(manager, {
      refType: 'clawback',
      refId: clawbackId,
      legs: [{ account: ledgerAccounts.clawback(order.merchant.publicId), debitFen: amounts.total }, ...budgets],
    });
  }
}
