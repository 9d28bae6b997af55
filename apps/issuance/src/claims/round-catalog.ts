import { Inject, Injectable } from '@nestjs/common';
import { Campaign, Round, VoucherType } from '@vouchers/database';
import { DataSource } from 'typeorm';

/** What the grab needs to know of a round; rounds do not change once their campaign is published. */
export type RoundInfo = Pick<VoucherType, 'faceValueFen' | 'thresholdFen'> &
  Pick<Campaign, 'validityDays' | 'validUntil' | 'categories' | 'districts'> & {
    roundId: Round['publicId'];
    kind: Round['kind'];
    /** The campaign's stock buckets (every round of it has the same). */
    stockBuckets: Round['stockBuckets'];
    internalRoundId: Round['id'];
    campaignId: Campaign['publicId'];
    internalCampaignId: Campaign['id'];
    voucherTypeId: VoucherType['id'];
    campaignName: Campaign['name'];
    voucherTypeName: VoucherType['name'];
  };

const MISS_TTL_MS = 5_000;
/** Unknown ids remembered at most: anyone signed in can post made-up ones. */
export const MISSES_KEPT = 10_000;

/**
 * An in-process cache of round facts, so the hot path reads Postgres once per round per
 * process rather than once per grab. Unknown ids are remembered briefly too. When a round
 * opens, hundreds of its first grabs arrive together: they share one read (`loading`)
 * instead of queueing hundreds of identical queries for the connection pool.
 */
@Injectable()
export class RoundCatalog {
  private readonly rounds = new Map<string, RoundInfo>();
  private readonly misses = new Map<string, number>();
  private readonly loading = new Map<string, Promise<RoundInfo | null>>();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async find(roundId: string): Promise<RoundInfo | null> {
    const cached = this.rounds.get(roundId);
    if (cached) return cached;
    const missedAt = this.misses.get(roundId);
    if (missedAt !== undefined && Date.now() - missedAt < MISS_TTL_MS) return null;
    let load = this.loading.get(roundId);
    if (!load) {
      load = this.load(roundId).finally(() => this.loading.delete(roundId));
      this.loading.set(roundId, load);
    }
    return load;
  }

  private async load(roundId: string): Promise<RoundInfo | null> {
    const round = await this.db.manager
      .createQueryBuilder(Round, 'r')
      .innerJoinAndSelect('r.campaign', 'c')
      .innerJoinAndSelect('r.voucherType', 't')
      .where('r.publicId = :roundId', { roundId })
      .getOne();
    if (!round?.campaign || !round.voucherType) {
      this.rememberMiss(roundId);
      return null;
    }
    const { campaign, voucherType } = round;
    const info: RoundInfo = {
      roundId,
      kind: round.kind,
      stockBuckets: round.stockBuckets,
      internalRoundId: round.id,
      campaignId: campaign.publicId,
      internalCampaignId: campaign.id,
      voucherTypeId: round.voucherTypeId,
      faceValueFen: voucherType.faceValueFen,
      thresholdFen: voucherType.thresholdFen,
      validityDays: campaign.validityDays,
      validUntil: campaign.validUntil,
      campaignName: campaign.name,
      voucherTypeName: voucherType.name,
      categories: campaign.categories,
      districts: campaign.districts,
    };
    this.rounds.set(roundId, info);
    return info;
  }

  /** Keeps the newest MISSES_KEPT unknown ids (a Map iterates in insertion order, oldest first). */
  private rememberMiss(roundId: string): void {
    this.misses.delete(roundId);
    if (this.misses.size >= MISSES_KEPT) this.misses.delete(this.misses.keys().next().value as string);
    this.misses.set(roundId, Date.now());
  }

  /** How many unknown ids are remembered (for tests and metrics). */
  get rememberedMisses(): number {
    return this.misses.size;
  }
}

const DAY_MS = 86_400_000;

/** A voucher is valid for the campaign's days after its claim, and never past the campaign's fixed end. */
export function expiryOf(round: Pick<RoundInfo, 'validityDays' | 'validUntil'>, claimedAt: Date): Date {
  const candidates: number[] = [];
  if (round.validityDays !== null) candidates.push(claimedAt.getTime() + round.validityDays * DAY_MS);
  if (round.validUntil !== null) candidates.push(round.validUntil.getTime());
  return new Date(candidates.length > 0 ? Math.min(...candidates) : claimedAt.getTime() + 7 * DAY_MS);
}
