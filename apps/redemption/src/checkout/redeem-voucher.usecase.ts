import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser, merchantIdOf } from '@vouchers/auth';
import { AppError, newPublicId } from '@vouchers/common';
import { EligibilityIndex } from '@vouchers/eligibility';
import { VoucherCodes } from '@vouchers/voucher-code';
import { AppConfig } from '@vouchers/config';
import { openPgPool, sqlStateOf } from '@vouchers/database';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { CheckoutErrorCode as Code } from './checkout-errors';
import { RedeemDto } from './redeem.dto';
import { REDEEM, REDEMPTION_BY_ORDER_NO } from './redemption-queries';
import { RedemptionRow, RedemptionView, redemptionView } from './redemption.view';

export interface RedeemResult {
  /** false when this answers a retry with the first result */
  created: boolean;
  redemption: RedemptionView;
}

interface Checks {
  cashier_active: boolean;
  order_no_free: boolean;
  voucher_ok: boolean;
  approved: boolean;
  category_ok: boolean;
  district_ok: boolean;
  threshold_ok: boolean;
}

interface Outcome {
  redeemed: RedemptionRow | null;
  checks: Checks | null;
  facts: { status: string; held: boolean } | null;
  till: { cashier_active: boolean } | null;
}

const TILL_CONNECTIONS = 8;
const REDEEM_TIMEOUT_MS = 5_000;

const refuse = (code: Code, message: string, status = 422, details?: Record<string, unknown>) => new AppError(code, message, status, details);

/**
 * Scan-and-redeem (DESIGN §6). The checks run in the order the till reports them: the code's
 * signature, its expiry, its nonce (spent by this first scan even if the redemption is then
 * refused), the voucher (held by the code's resident, claimed, unexpired), the merchant
 * (approved, in the voucher's category and district scope), the threshold. A retry with the
 * same order number, code and amount answers with the first result, whatever the code's state.
 */
@Injectable()
export class RedeemVoucher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RedeemVoucher.name);
  /** The till's own connections: the redemption runs as a named statement, parsed once per connection. */
  private readonly pool: Pool;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(VoucherCodes) private readonly codes: VoucherCodes,
    @Inject(EligibilityIndex) private readonly eligibility: EligibilityIndex,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.pool = openPgPool(config.databaseUrl, { max: TILL_CONNECTIONS, timeoutMs: REDEEM_TIMEOUT_MS }, (error) =>
      this.logger.warn({ err: error }, 'till connection lost'),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  async execute(cashier: AuthUser, request: RedeemDto): Promise<RedeemResult> {
    const merchantId = merchantIdOf(cashier);
    const reading = this.codes.read(request.code);
    if (!reading.ok) {
      if (reading.reason === 'MALFORMED') throw refuse(Code.CodeMalformed, 'This is not a voucher code; scan again', 400);
      throw refuse(Code.CodeSignatureInvalid, 'This voucher code is not genuine', 400);
    }
    const { claims, digest } = reading;
    if (this.codes.isExpired(claims.expiresAt)) {
      return this.retryOr(merchantId, request, digest, refuse(Code.CodeExpired, 'This code has expired; ask the customer to refresh it'));
    }
    const [spend, index] = await Promise.all([this.codes.spend(claims.voucherId, claims.nonce), this.eligibility.get(merchantId)]);
    if (spend === 'REPLAYED') {
      return this.retryOr(merchantId, request, digest, refuse(Code.CodeReplayed, 'This code was already scanned; ask for a new one', 409));
    }
    if (spend === 'SUPERSEDED') {
      return this.retryOr(
        merchantId,
        request,
        digest,
        refuse(Code.CodeSuperseded, 'This code was replaced by a newer one; scan the code the customer shows now', 409),
      );
    }

    const approvedByIndex = index.loaded ? index.entry?.status === 'approved' : null;
    const values = [
      claims.voucherId,
      claims.residentId,
      merchantId,
      cashier.sub,
      request.orderAmountFen,
      request.merchantOrderNo,
      digest,
      newPublicId(),
      approvedByIndex,
      newPublicId(),
    ];
    let outcome: Outcome;
    try {
      [outcome] = (await this.pool.query<Outcome>({ name: 'redeem-v1', text: REDEEM, values })).rows;
    } catch (error) {
      // Another till's redemption with this order number committed first.
      if (sqlStateOf(error) === '23505') {
        return this.retryOr(merchantId, request, digest, refuse(Code.VoucherNotClaimed, 'This voucher has already been used', 409));
      }
      throw error;
    }
    if (outcome.redeemed) return { created: true, redemption: redemptionView(outcome.redeemed) };
    throw await this.refusal(outcome, merchantId, request);
  }

  /** The first result when this is a retry of a redemption that went through; otherwise the refusal. */
  private async retryOr(merchantId: string, request: RedeemDto, digest: string, refusal: AppError): Promise<RedeemResult> {
    const [earlier]: RedemptionRow[] = await this.db.query(REDEMPTION_BY_ORDER_NO, [merchantId, request.merchantOrderNo]);
    if (!earlier) throw refusal;
    if (earlier.code_digest.trim() !== digest || Number(earlier.order_amount_fen) !== request.orderAmountFen) {
      throw this.orderNoConflict(earlier);
    }
    return { created: false, redemption: redemptionView(earlier) };
  }

  private orderNoConflict(earlier: RedemptionRow): AppError {
    return refuse(Code.OrderNoConflict, 'This order number was already used with another code or amount', 409, {
      redemptionId: earlier.public_id,
    });
  }

  private async refusal(outcome: Outcome, merchantId: string, request: RedeemDto): Promise<AppError> {
    const { checks, facts, till } = outcome;
    if (!till) return refuse(Code.MerchantNotApproved, 'This merchant is not approved for vouchers', 403);
    if (!till.cashier_active) return refuse(Code.CashierInactive, 'This cashier account is not active at this merchant', 403);
    if (checks && !checks.order_no_free) {
      const [earlier]: RedemptionRow[] = await this.db.query(REDEMPTION_BY_ORDER_NO, [merchantId, request.merchantOrderNo]);
      return this.orderNoConflict(earlier);
    }
    if (!facts || !facts.held) return refuse(Code.VoucherNotHeld, "This code does not match one of the customer's vouchers");
    if (facts.status !== 'claimed') {
      return refuse(Code.VoucherNotClaimed, `This voucher is ${facts.status}`, 409, { status: facts.status });
    }
    if (!checks || !checks.voucher_ok) return refuse(Code.VoucherExpired, 'This voucher has expired');
    if (!checks.approved) return refuse(Code.MerchantNotApproved, 'This merchant is not approved for vouchers', 403);
    if (!checks.category_ok) return refuse(Code.CategoryOutOfScope, "This voucher is not for this shop's category");
    if (!checks.district_ok) return refuse(Code.DistrictOutOfScope, "This voucher is not for this shop's district");
    if (!checks.threshold_ok) return refuse(Code.BelowThreshold, 'The order is below the spend threshold of this voucher');
    // Every check held in the snapshot but the conditional update found the voucher taken.
    return refuse(Code.VoucherNotClaimed, 'This voucher has already been used', 409);
  }
}
