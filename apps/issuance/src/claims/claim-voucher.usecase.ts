import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, isPublicId, newPublicId } from '@vouchers/common';
import { residentNotFound } from '../residents/resident-lookup';
import { AdmissionLoader } from './admission-loader';
import { bucketOf, PendingReservation, stateIdOf } from './admission-keys';
import { AdmissionStore, ReserveOutcome } from './admission.store';
import { ClaimErrorCode } from './claim-errors';
import { HeldVouchers } from './held-vouchers';
import { AdmittedClaim, ClaimWriter } from './claim-writer';
import { ResidentVouchers } from './resident-vouchers';
import { expiryOf, RoundCatalog, RoundInfo } from './round-catalog';
import { StockBuckets } from './stock-buckets';
import { roundVoucherView, VoucherView } from './voucher.view';

/** The admission state (the campaign's, or the resident's bucket's) that holds a reservation. */
const stateOf = (round: RoundInfo, reservation: PendingReservation) =>
  stateIdOf(round.campaignId, bucketOf(reservation.residentId, round.stockBuckets), round.stockBuckets);

export interface ClaimResult {
  /** false when this answers a retry with the voucher the person already holds */
  created: boolean;
  voucher: VoucherView;
}

/** What an Idempotency-Key may be; the grab's /docs shows this pattern. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const SAME_CLAIM_WAIT_MS = 3_000;
/**
 * Moves from other buckets one grab may wait for before its bucket's SOLD_OUT or BUDGET stands
 * (stock-buckets.ts): each ends the wait early once no other bucket has any. Near the end of a
 * rush other grabs of the bucket may take what a move brought first, so one grab may need
 * several; each is a few Redis round trips.
 */
const BORROW_ATTEMPTS = 16;

const busy = (code: ClaimErrorCode, message: string) => new AppError(code, message, { retryAfterSeconds: 1 });

/** Redis or Postgres not answering is the platform's trouble, not the resident's: 503, try again. */
function unavailable(error: unknown): never {
  if (error instanceof AppError) throw error;
  throw busy(ClaimErrorCode.AdmissionUnavailable, 'Vouchers cannot be handed out this moment; try again');
}

/**
 * The grab (DESIGN §5): the token is trusted as read (no database), one Lua script admits
 * or refuses, the group-commit writer makes an admitted claim durable, and only then is the
 * voucher returned. A failed write gives the reservation back.
 */
@Injectable()
export class ClaimVoucher {
  private readonly logger = new Logger(ClaimVoucher.name);

  constructor(
    @Inject(RoundCatalog) private readonly rounds: RoundCatalog,
    @Inject(AdmissionStore) private readonly admission: AdmissionStore,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
    @Inject(ClaimWriter) private readonly writer: ClaimWriter,
    @Inject(ResidentVouchers) private readonly vouchers: ResidentVouchers,
    @Inject(HeldVouchers) private readonly held: HeldVouchers,
    @Inject(StockBuckets) private readonly buckets: StockBuckets,
  ) {}

  async execute(resident: AuthUser, roundId: string, idempotencyKey = ''): Promise<ClaimResult> {
    if (!resident.verified) {
      throw new AppError(ClaimErrorCode.RealNameRequired, 'Verify your real name before grabbing vouchers');
    }
    if (idempotencyKey !== '' && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new AppError(ClaimErrorCode.InvalidIdempotencyKey, 'Idempotency-Key must be 8-64 letters, digits, - or _');
    }
    if (!isPublicId(roundId)) throw new AppError(ClaimErrorCode.InvalidRoundId, 'The round id is not a UUID');
    const round = await this.rounds.find(roundId).catch(unavailable);
    if (!round) throw new AppError(ClaimErrorCode.RoundNotFound, 'No such round');
    if (round.kind === 'lottery') throw new AppError(ClaimErrorCode.RoundIsLottery, 'This round is a lottery: sign up for its draw instead');

    const voucherId = newPublicId();
    // Before the script: the writer's queue deadline (GrabTiming) counts from here, never later than the sweeper's clock.
    const claimedAt = new Date();
    const request = { campaignId: round.campaignId, buckets: round.stockBuckets, roundId, residentId: resident.sub, newVoucherId: voucherId, idempotencyKey };
    // A round known to be sold out: its grabs (refusals, mostly) wait a little to share a script (SOLD_OUT_LINGER_MS).
    let outcome = await this.admission.reserve(request, this.buckets.knownSoldOut(round.campaignId, roundId)).catch(unavailable);
    if (outcome.outcome === 'SOLD_OUT' && round.stockBuckets <= 1) this.buckets.noteSoldOut(round.campaignId, roundId);
    // A bucket run dry borrows from the others, and the grab tries again; SOLD_OUT stands once none has any.
    const bucket = bucketOf(resident.sub, round.stockBuckets);
    const dry = { campaignId: round.campaignId, buckets: round.stockBuckets, bucket, roundId, faceValueFen: round.faceValueFen };
    // A sell-out over every bucket noted this second needs no borrowing (StockBuckets.soldOutEverywhere).
    const noted = outcome.outcome === 'SOLD_OUT' && this.buckets.knownSoldOut(round.campaignId, roundId);
    for (let attempt = 0; round.stockBuckets > 1 && !noted && attempt < BORROW_ATTEMPTS; attempt += 1) {
      if (outcome.outcome !== 'SOLD_OUT' && outcome.outcome !== 'BUDGET') break;
      if (!(await this.buckets.borrow(dry, outcome.outcome === 'SOLD_OUT' ? 'stock' : 'budget').catch(unavailable))) {
        // No other bucket held any when read. Stock between another move's take and its give is in
        // none of them, and lands a moment later: while more than K remain, the grab tries again.
        if (outcome.outcome !== 'SOLD_OUT' || (await this.buckets.soldOutEverywhere(dry).catch(unavailable))) break;
      }
      outcome = await this.admission.reserve(request).catch(unavailable);
    }
    // Moves racing one another (every bucket near empty, each borrowing) can leave a grab out of
    // moves while vouchers remain elsewhere: it is told to try again, never that they are gone.
    if (outcome.outcome === 'SOLD_OUT' && round.stockBuckets > 1 && !(await this.buckets.soldOutEverywhere(dry).catch(unavailable))) {
      throw busy(ClaimErrorCode.AdmissionUnavailable, 'Vouchers are being moved between stock buckets this moment; try again');
    }
    if (outcome.outcome === 'OK') {
      const reservation = { roundId, residentId: resident.sub, voucherId, slot: outcome.slot, idempotencyKey, maker: this.admission.maker };
      return this.persist(resident, round, reservation, outcome.generation, claimedAt);
    }
    if (outcome.outcome === 'SAME') {
      const held = await this.held.waitFor(resident.sub, outcome.voucherId, round, SAME_CLAIM_WAIT_MS);
      if (!held) throw busy(ClaimErrorCode.ClaimInProgress, 'Your earlier grab of this round is still being saved; try again');
      return { created: false, voucher: held };
    }
    throw this.refusal(outcome, round);
  }

  private async persist(
    resident: AuthUser,
    round: RoundInfo,
    reservation: PendingReservation,
    generation: string,
    claimedAt: Date,
  ): Promise<ClaimResult> {
    const row: AdmittedClaim = {
      voucherId: reservation.voucherId,
      campaignId: round.campaignId,
      internalCampaignId: round.internalCampaignId,
      generation,
      internalRoundId: round.internalRoundId,
      residentId: resident.sub,
      slot: reservation.slot,
      faceValueFen: round.faceValueFen,
      thresholdFen: round.thresholdFen,
      claimedAt,
      expiresAt: expiryOf(round, claimedAt),
      idempotencyKey: reservation.idempotencyKey,
    };
    let written;
    try {
      written = await this.writer.write(row);
    } catch {
      await this.giveBack(round, reservation, generation);
      throw busy(ClaimErrorCode.ClaimNotSaved, 'Your voucher could not be saved; nothing was taken, try again');
    }
    if (written === 'inserted') {
      this.admission.forgetSoon(stateOf(round, reservation), reservation);
      // Described from what the request already knows: no read after the write.
      const voucher = { publicId: row.voucherId, status: 'claimed', claimedAt: row.claimedAt, expiresAt: row.expiresAt, redeemedAt: null };
      return { created: true, voucher: roundVoucherView(round, voucher) };
    }
    await this.giveBack(round, reservation, generation);
    if (written === 'gone') throw residentNotFound();
    if (written === 'late') throw busy(ClaimErrorCode.ClaimNotSaved, 'Your voucher could not be saved in time; nothing was taken, try again');
    if (written === 'stale') {
      // A rebuild since the reserve has set every marker to its newer generation before it committed: a
      // marker that still says the old one came back from an old snapshot (one bucket's shard alone, or
      // a K = 1 state holding no more stock than the truth, which the stale check cannot see). Every grab
      // of it would be fenced out, and nothing else would rebuild it.
      this.loader
        .rebuildIfStill(round.campaignId, generation, stateOf(round, reservation))
        .catch((error: unknown) => this.logger.error({ err: error }, 'rebuild failed'));
      throw busy(ClaimErrorCode.AdmissionRebuilding, 'Vouchers are being recounted; try again in a moment');
    }
    if (written === 'refused') {
      this.loader.rebuildIfStill(round.campaignId, generation).catch((error: unknown) => this.logger.error({ err: error }, 'rebuild failed'));
      throw busy(ClaimErrorCode.AdmissionRebuilding, 'Vouchers are being recounted; try again in a moment');
    }
    const existing = await this.vouchers.findForRound(resident.sub, round.roundId);
    if (existing) return { created: false, voucher: existing };
    // Redis knows a person's keys per campaign; the database's (resident, key) is unique across them.
    if (reservation.idempotencyKey !== '' && (await this.vouchers.holdsKey(resident.sub, reservation.idempotencyKey))) {
      throw new AppError(ClaimErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another round');
    }
    throw new AppError(ClaimErrorCode.AlreadyClaimed, 'You already hold as many vouchers of this campaign as allowed');
  }

  private async giveBack(round: RoundInfo, reservation: PendingReservation, generation: string): Promise<void> {
    try {
      await this.admission.release(stateOf(round, reservation), reservation, generation);
    } catch (error) {
      // The sweeper releases it once it sees the row never reached Postgres.
      this.logger.warn({ err: error, voucherId: reservation.voucherId }, 'release failed; left to the sweeper');
    }
  }

  private refusal(outcome: Exclude<ReserveOutcome, { outcome: 'OK' | 'SAME' }>, round: RoundInfo): AppError {
    switch (outcome.outcome) {
      case 'NOT_LOADED':
        this.loader.ensureLoaded(round.campaignId, round.stockBuckets).catch((error: unknown) => this.logger.error({ err: error }, 'rebuild failed'));
        return busy(ClaimErrorCode.AdmissionRebuilding, 'Vouchers are being recounted; try again in a moment');
      case 'NOT_ACTIVE':
        return new AppError(ClaimErrorCode.CampaignNotActive, `This campaign is ${outcome.status}`, { status: outcome.status });
      case 'NO_ROUND':
        return new AppError(ClaimErrorCode.RoundNotFound, 'No such round in this campaign');
      case 'NOT_OPEN':
        return new AppError(ClaimErrorCode.RoundNotOpen, 'This round has not opened yet', {
          opensAt: new Date(outcome.opensAt).toISOString(),
        });
      case 'CLOSED':
        return new AppError(ClaimErrorCode.RoundClosed, 'This round has closed');
      case 'LIMIT':
        return new AppError(ClaimErrorCode.AlreadyClaimed, 'You already hold as many vouchers of this campaign as allowed');
      case 'SOLD_OUT':
        return new AppError(ClaimErrorCode.SoldOut, 'This round is sold out');
      case 'BUDGET':
        return new AppError(ClaimErrorCode.BudgetExhausted, "This campaign's budget is used up");
      case 'KEY_REUSED':
        return new AppError(ClaimErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another round');
    }
  }
}
