import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser, merchantIdOf } from '@vouchers/auth';
import { AppError, CommonErrorCode, newPublicId } from '@vouchers/common';
import { sqlStateOf, Voucher } from '@vouchers/database';
import { EligibilityIndex } from '@vouchers/eligibility';
import { MerchantCallerErrorCode } from '@vouchers/merchant-caller';
import { VoucherCodes } from '@vouchers/voucher-code';
import { DataSource } from 'typeorm';
import { CheckoutErrorCode as Code } from './checkout-errors';
import { RedeemRequestBody } from './redeem-request';
import { placedRedemption, redemptionRowOf } from './merchant-redemptions';
import { placeByOrderNo } from './redemption-place';
import { RedeemOutcome, RedemptionWriter } from './redemption-writer';
import { RedemptionRow, RedemptionView, redemptionView } from './redemption.view';

export interface RedeemResult {
  /** false when this answers a retry with the first result */
  created: boolean;
  redemption: RedemptionView;
}

/**
 * Refusals about the order or the till, not the code: the cashier typed the amount or the order
 * number wrong, or is at a till that cannot redeem. The scan that spent the code gives it back,
 * so the customer's code can be scanned again (at the right amount, or at a till that can).
 */
const GIVES_BACK_THE_CODE: ReadonlySet<string> = new Set([
  Code.BelowThreshold,
  Code.CategoryOutOfScope,
  Code.DistrictOutOfScope,
  Code.OrderNoConflict,
  Code.MerchantNotApproved,
  MerchantCallerErrorCode.StaffInactive,
  // A token from before the cashier was disabled (and enabled again): they sign in again and scan the same code.
  CommonErrorCode.Unauthenticated,
]);

/** The voucher was held and claimed when the statement ran, so nothing was redeemed with this code. */
const voucherStillUsable = ({ facts, checks }: RedeemOutcome) => Boolean(facts?.held && facts.status === 'claimed' && checks?.voucher_ok !== false);

/**
 * Scan-and-redeem (DESIGN §6). The checks run in the order the till reports them: the code's
 * signature, its expiry, its nonce (spent by this first scan), the voucher (held by the code's
 * resident, claimed, unexpired), the merchant (approved, in the voucher's category and district
 * scope), the threshold. A refusal about the code or the voucher keeps the code spent; one about
 * the order or the till (GIVES_BACK_THE_CODE) gives it back, which costs one Redis call on that
 * refusal only. A retry with the same order number, code and amount answers with the first
 * result, whatever the code's state.
 */
@Injectable()
export class RedeemVoucher {
  private readonly logger = new Logger(RedeemVoucher.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(VoucherCodes) private readonly codes: VoucherCodes,
    @Inject(EligibilityIndex) private readonly eligibility: EligibilityIndex,
    @Inject(RedemptionWriter) private readonly writer: RedemptionWriter,
  ) {}

  async execute(cashier: AuthUser, request: RedeemRequestBody): Promise<RedeemResult> {
    const merchantId = merchantIdOf(cashier);
    const reading = this.codes.read(request.code);
    if (!reading.ok) {
      if (reading.reason === 'MALFORMED') throw new AppError(Code.CodeMalformed, 'This is not a voucher code; scan again');
      throw new AppError(Code.CodeSignatureInvalid, 'This voucher code is not genuine');
    }
    const { claims, digest } = reading;
    if (this.codes.isExpired(claims.expiresAt)) {
      return this.retryOr(merchantId, request, digest, new AppError(Code.CodeExpired, 'This code has expired; ask the customer to refresh it'));
    }
    // The scan's id is the redemption's: it marks the nonce as spent by this scan, which alone may give it back.
    const scanId = newPublicId();
    const [spend, approvedByIndex] = await Promise.all([
      this.codes.spend(claims.voucherId, claims.nonce, scanId),
      this.eligibility.approval(merchantId),
    ]);
    if (spend === 'REPLAYED') {
      return this.retryOr(merchantId, request, digest, new AppError(Code.CodeReplayed, 'This code was already scanned; ask for a new one'));
    }
    if (spend === 'SUPERSEDED') {
      return this.retryOr(
        merchantId,
        request,
        digest,
        new AppError(Code.CodeSuperseded, 'This code was replaced by a newer one; scan the code the customer shows now'),
      );
    }

    let outcome: RedeemOutcome;
    try {
      outcome = await this.writer.redeem({
        voucherId: claims.voucherId,
        residentId: claims.residentId,
        merchantId,
        cashierId: cashier.sub,
        cashierTokenVersion: cashier.tokenVersion ?? 0,
        orderAmountFen: request.orderAmountFen,
        merchantOrderNo: request.merchantOrderNo,
        codeDigest: digest,
        redemptionId: scanId,
        approvedByIndex,
        postingId: newPublicId(),
      });
    } catch (error) {
      // Another till's redemption with this order number (or of this voucher) committed first.
      if (sqlStateOf(error) === '23505') {
        return this.retryOr(merchantId, request, digest, new AppError(Code.VoucherNotClaimed, 'This voucher has already been used')).catch(
          async (refusal: unknown) => {
            // The order number was taken, not the voucher: the code is given back, as on the statement's own ORDER_NO_CONFLICT.
            if (refusal instanceof AppError && refusal.code === Code.OrderNoConflict && (await this.voucherStatusNow(claims.voucherId)) === 'claimed') {
              await this.giveBack(claims.voucherId, claims.nonce, scanId);
            }
            throw refusal;
          },
        );
      }
      // Not a refusal: the code stays good for the cashier's retry (which finds the redemption if it did commit).
      this.logger.warn({ err: error }, 'redemption not saved');
      await this.giveBack(claims.voucherId, claims.nonce, scanId);
      throw new AppError(Code.RedemptionNotSaved, 'The voucher could not be applied just now; scan the same code again', {
        retryAfterSeconds: 1,
      });
    }
    const givingBackOn = async (refusal: unknown): Promise<never> => {
      if (refusal instanceof AppError && GIVES_BACK_THE_CODE.has(refusal.code) && voucherStillUsable(outcome)) {
        await this.giveBack(claims.voucherId, claims.nonce, scanId);
      }
      throw refusal;
    };
    if (outcome.checks && !outcome.checks.order_no_free) {
      // This order number already has a redemption: the first result for a retry (the code stays spent), 409 otherwise.
      return this.retryOr(merchantId, request, digest, new AppError(Code.OrderNoConflict, 'This order number was already used')).catch(givingBackOn);
    }
    if (outcome.redeemed) return { created: true, redemption: redemptionView(outcome.redeemed) };
    return givingBackOn(this.refusal(outcome) ?? (await this.takenMeanwhile(claims.voucherId)));
  }

  /**
   * Every check held in the statement's snapshot, but the guarded update found the voucher taken
   * by a commit it waited for: another till's redemption, or the expiry job at the moment the
   * validity ended. The voucher as it is now says which.
   */
  private async takenMeanwhile(voucherId: string): Promise<AppError> {
    if ((await this.voucherStatusNow(voucherId)) === 'expired') return new AppError(Code.VoucherExpired, 'This voucher has expired');
    return new AppError(Code.VoucherNotClaimed, 'This voucher has already been used');
  }

  /** The voucher's status as committed now, after the statement that refused the scan. */
  private async voucherStatusNow(voucherId: string): Promise<string | undefined> {
    const now = await this.db.manager.findOne(Voucher, { select: { id: true, status: true }, where: { publicId: voucherId } });
    return now?.status;
  }

  /** Gives back this scan's spend of the code; if Redis fails, the code stays spent (the customer refreshes it). */
  private async giveBack(voucherId: string, nonce: string, scanId: string): Promise<void> {
    await this.codes.giveBack(voucherId, nonce, scanId).catch((error: unknown) => this.logger.warn({ err: error }, 'code not given back'));
  }

  /** The first result when this is a retry of a redemption that went through; otherwise the refusal. */
  private async retryOr(merchantId: string, request: RedeemRequestBody, digest: string, refusal: AppError): Promise<RedeemResult> {
    const place = await placeByOrderNo(this.db, merchantId, request.merchantOrderNo);
    const found = place && (await placedRedemption(this.db, merchantId, place).getOne());
    if (!found) throw refusal;
    const earlier = redemptionRowOf(found);
    if (earlier.codeDigest.trim() !== digest || earlier.orderAmountFen !== request.orderAmountFen) throw this.orderNoConflict(earlier);
    return { created: false, redemption: redemptionView(earlier) };
  }

  private orderNoConflict(earlier: RedemptionRow): AppError {
    return new AppError(Code.OrderNoConflict, 'This order number was already used with another code or amount', {
      redemptionId: earlier.publicId,
    });
  }

  /** The refusal the statement's facts give; null when every check held (the voucher was taken meanwhile). */
  private refusal(outcome: RedeemOutcome): AppError | null {
    const { checks, facts, till } = outcome;
    if (!till) return new AppError(Code.MerchantNotApproved, 'This merchant is not approved for vouchers');
    if (!till.cashier_active) return new AppError(MerchantCallerErrorCode.StaffInactive, 'This staff account is not active at this merchant');
    if (!till.cashier_current) {
      return new AppError(CommonErrorCode.Unauthenticated, 'This staff account was disabled and enabled again since this token was signed; sign in again');
    }
    if (!facts || !facts.held) return new AppError(Code.VoucherNotHeld, "This code does not match one of the customer's vouchers");
    // Expired by the expiry job or still only past its validity: the same answer, whenever the job ran.
    if (facts.status === 'expired') return new AppError(Code.VoucherExpired, 'This voucher has expired');
    if (facts.status !== 'claimed') {
      return new AppError(Code.VoucherNotClaimed, `This voucher is ${facts.status}`, { status: facts.status });
    }
    if (!checks || !checks.voucher_ok) return new AppError(Code.VoucherExpired, 'This voucher has expired');
    if (!checks.approved) return new AppError(Code.MerchantNotApproved, 'This merchant is not approved for vouchers');
    if (!checks.category_ok) return new AppError(Code.CategoryOutOfScope, "This voucher is not for this shop's category");
    if (!checks.district_ok) return new AppError(Code.DistrictOutOfScope, "This voucher is not for this shop's district");
    if (!checks.threshold_ok) return new AppError(Code.BelowThreshold, 'The order is below the spend threshold of this voucher');
    return null;
  }
}
