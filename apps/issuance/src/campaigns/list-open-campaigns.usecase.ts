import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, Fen, fenFromColumn, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { ListCampaignsQuery } from './list-campaigns.query';

export interface VoucherTypeView {
  id: string;
  name: string;
  faceValueFen: Fen;
  thresholdFen: Fen;
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
  voucher_types: Array<{ id: string; name: string; face_value_fen: number; threshold_fen: number }>;
}

/** Campaigns a resident can see without signing in: scheduled and active ones, newest first. */
@Injectable()
export class ListOpenCampaigns {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(query: ListCampaignsQuery): Promise<Page<CampaignView>> {
    const after = query.cursor ? String(decodeCursor(query.cursor, 1)[0]) : null;
    const rows: CampaignRow[] = await this.db.query(
      `SELECT c.public_id, c.name, c.status, c.categories, c.districts, c.budget_fen, c.per_person_limit,
              c.validity_days, c.valid_until,
              COALESCE((SELECT json_agg(json_build_object('id', t.public_id, 'name', t.name,
                          'face_value_fen', t.face_value_fen, 'threshold_fen', t.threshold_fen) ORDER BY t.threshold_fen)
                        FROM voucher_types t WHERE t.campaign_id = c.id), '[]'::json) AS voucher_types
         FROM campaigns c
        WHERE c.status IN ('scheduled', 'active')
          AND ($1::uuid IS NULL OR c.public_id < $1::uuid)
          AND ($2::text IS NULL OR cardinality(c.districts) = 0 OR $2::text = ANY (c.districts))
          AND ($3::text IS NULL OR $3::text = ANY (c.categories))
        ORDER BY c.public_id DESC
        LIMIT $4`,
      [after, query.district ?? null, query.category ?? null, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.public_id], toView);
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
    })),
  };
}
