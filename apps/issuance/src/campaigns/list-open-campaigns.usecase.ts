import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Fen, fenFromColumn, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { AdmissionStore } from '../claims/admission.store';
import { ListCampaignsQuery } from './list-campaigns.query';

export interface RoundView {
  id: string;
  opensAt: string;
  closesAt: string | null;
  quantity: number;
  /** Live: what is left to grab now. */
  remaining: number;
}

export interface VoucherTypeView {
  id: string;
  name: string;
  faceValueFen: Fen;
  thresholdFen: Fen;
  rounds: RoundView[];
}

export interface CampaignView {
  id: string;
  name: string;
  status: string;
  categories: string[];
  /** Empty: usable in the whole city. */
  districts: string[];
  budgetFen: Fen;
  perPersonLimit: number;
  validityDays: number | null;
  validUntil: string | null;
  voucherTypes: VoucherTypeView[];
}

interface CampaignRow {
  public_id: string;
  name: string;
  status: string;
  categories: string[];
  districts: string[];
  budget_fen: string;
  per_person_limit: number;
  validity_days: number | null;
  valid_until: Date | null;
  voucher_types: Array<{
    id: string;
    name: string;
    face_value_fen: number;
    threshold_fen: number;
    rounds: Array<{ id: string; opens_at: string; closes_at: string | null; quantity: number }> | null;
  }>;
}

/** Campaigns a resident can see without signing in: scheduled, active and paused ones, newest first, with live stock. */
@Injectable()
export class ListOpenCampaigns {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AdmissionStore) private readonly admission: AdmissionStore,
  ) {}

  async execute(query: ListCampaignsQuery): Promise<Page<CampaignView>> {
    const after = decodeIdCursor(query.cursor);
    const rows: CampaignRow[] = await this.db.query(
      `SELECT c.public_id, c.name, c.status, c.categories, c.districts, c.budget_fen, c.per_person_limit,
              c.validity_days, c.valid_until,
              COALESCE((SELECT json_agg(json_build_object('id', t.public_id, 'name', t.name,
                          'face_value_fen', t.face_value_fen, 'threshold_fen', t.threshold_fen,
                          'rounds', (SELECT json_agg(json_build_object('id', r.public_id, 'opens_at', r.opens_at,
                                              'closes_at', r.closes_at, 'quantity', r.quantity) ORDER BY r.opens_at)
                                       FROM rounds r WHERE r.voucher_type_id = t.id)) ORDER BY t.threshold_fen)
                        FROM voucher_types t WHERE t.campaign_id = c.id), '[]'::json) AS voucher_types
         FROM campaigns c
        WHERE c.status IN ('scheduled', 'active', 'paused')
          AND ($1::uuid IS NULL OR c.public_id < $1::uuid)
          AND ($2::text IS NULL OR cardinality(c.districts) = 0 OR $2::text = ANY (c.districts))
          AND ($3::text IS NULL OR $3::text = ANY (c.categories))
        ORDER BY c.public_id DESC
        LIMIT $4`,
      [after, query.district ?? null, query.category ?? null, query.limit + 1],
    );
    const page = toPage(rows, query.limit, (row) => [row.public_id], toView);
    await Promise.all(page.items.map((campaign) => this.fillRemaining(campaign)));
    return page;
  }

  /** Remaining stock from the live admission state; from Postgres counts where it is not loaded. */
  private async fillRemaining(campaign: CampaignView): Promise<void> {
    const rounds = campaign.voucherTypes.flatMap((type) => type.rounds);
    const live = await this.admission.stockOf(campaign.id, rounds.map((round) => round.id)).catch(() => rounds.map(() => null));
    const missing = rounds.filter((_, i) => live[i] === null).map((round) => round.id);
    const counted: Array<{ public_id: string; claimed: string }> =
      missing.length === 0
        ? []
        : await this.db.query(
            `SELECT r.public_id, (SELECT count(*) FROM vouchers v WHERE v.round_id = r.id) AS claimed
               FROM rounds r WHERE r.public_id = ANY($1::uuid[])`,
            [missing],
          );
    const claimed = new Map(counted.map((row) => [row.public_id, Number(row.claimed)]));
    rounds.forEach((round, i) => {
      round.remaining = live[i] ?? Math.max(0, round.quantity - (claimed.get(round.id) ?? 0));
    });
  }
}

function toView(row: CampaignRow): CampaignView {
  return {
    id: row.public_id,
    name: row.name,
    status: row.status,
    categories: row.categories,
    districts: row.districts,
    budgetFen: fenFromColumn(row.budget_fen) ?? 0,
    perPersonLimit: row.per_person_limit,
    validityDays: row.validity_days,
    validUntil: row.valid_until ? row.valid_until.toISOString() : null,
    voucherTypes: row.voucher_types.map((type) => ({
      id: type.id,
      name: type.name,
      faceValueFen: Number(type.face_value_fen),
      thresholdFen: Number(type.threshold_fen),
      rounds: (type.rounds ?? []).map((round) => ({
        id: round.id,
        opensAt: new Date(round.opens_at).toISOString(),
        closesAt: round.closes_at ? new Date(round.closes_at).toISOString() : null,
        quantity: round.quantity,
        remaining: round.quantity,
      })),
    })),
  };
}
