import { Inject, Injectable } from '@nestjs/common';
import { Fen } from '@vouchers/common';
import { DataSource } from 'typeorm';

/** What the grab needs to know of a round; rounds do not change once their campaign is published. */
export interface RoundInfo {
  roundId: string;
  internalRoundId: string;
  campaignId: string;
  internalCampaignId: string;
  voucherTypeId: string;
  faceValueFen: Fen;
  thresholdFen: Fen;
  validityDays: number | null;
  validUntil: Date | null;
  campaignName: string;
  voucherTypeName: string;
  categories: string[];
  districts: string[];
}

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
    const rows: Array<{
      round_id: string;
      campaign_public_id: string;
      campaign_id: string;
      voucher_type_id: string;
      face_value_fen: string;
      threshold_fen: string;
      validity_days: number | null;
      valid_until: Date | null;
      campaign_name: string;
      voucher_type_name: string;
      categories: string[];
      districts: string[];
    }> = await this.db.query(
      `SELECT r.id AS round_id, c.public_id AS campaign_public_id, c.id AS campaign_id, r.voucher_type_id,
              t.face_value_fen, t.threshold_fen, c.validity_days, c.valid_until, c.name AS campaign_name,
              t.name AS voucher_type_name, c.categories, c.districts
         FROM rounds r
         JOIN campaigns c ON c.id = r.campaign_id
         JOIN voucher_types t ON t.id = r.voucher_type_id
        WHERE r.public_id = $1`,
      [roundId],
    );
    if (rows.length === 0) {
      this.rememberMiss(roundId);
      return null;
    }
    const row = rows[0];
    const info: RoundInfo = {
      roundId,
      internalRoundId: row.round_id,
      campaignId: row.campaign_public_id,
      internalCampaignId: row.campaign_id,
      voucherTypeId: row.voucher_type_id,
      faceValueFen: Number(row.face_value_fen),
      thresholdFen: Number(row.threshold_fen),
      validityDays: row.validity_days,
      validUntil: row.valid_until,
      campaignName: row.campaign_name,
      voucherTypeName: row.voucher_type_name,
      categories: row.categories,
      districts: row.districts,
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
