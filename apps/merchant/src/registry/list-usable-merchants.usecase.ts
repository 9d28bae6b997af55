import { Inject, Injectable } from '@nestjs/common';
import { AppError, CommonErrorCode, cursorInt, decodeCursor, isPublicId, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { UsableMerchantsQuery } from './usable-merchants.query';

export interface UsableMerchant {
  id: string;
  shopName: string;
  district: string;
  category: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  /** Metres from the given point (flat-earth approximation, fine at city scale); null without a point. */
  distanceM: number | null;
}

interface Row {
  public_id: string;
  shop_name: string;
  district: string;
  category: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  distance_m: number;
}

/** Merchants without coordinates sort after every located one. */
const FAR_AWAY_M = 2_000_000_000;
/** A cursor's distance, as the query computes it: a whole number of metres, at most FAR_AWAY_M (within a Postgres int). */
const isDistanceM = cursorInt(0, FAR_AWAY_M);

/**
 * Where a resident can use a campaign's vouchers: approved merchants in the campaign's
 * categories and districts, optionally narrowed, nearest first when a point is given.
 * Public: it shows only what a shop front shows.
 */
@Injectable()
export class ListUsableMerchants {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(query: UsableMerchantsQuery): Promise<Page<UsableMerchant>> {
    if ((query.lat === undefined) !== (query.lng === undefined)) {
      throw new AppError(CommonErrorCode.ValidationFailed, 'Give lat and lng together, or neither');
    }
    const located = query.lat !== undefined;
    const [afterDistance, afterId] = query.cursor ? decodeCursor<[number, string]>(query.cursor, [isDistanceM, isPublicId]) : [null, null];
    const campaigns: unknown[] = await this.db.query(
      `SELECT 1 FROM campaigns WHERE public_id = $1 AND status IN ('scheduled', 'active', 'paused')`,
      [query.campaignId],
    );
    if (campaigns.length === 0) throw new AppError(CommonErrorCode.CampaignNotFound, 'No such published campaign');
    const rows: Row[] = await this.db.query(
      `SELECT * FROM (
         SELECT m.public_id, m.shop_name, m.district, m.category, m.address, m.latitude, m.longitude,
                CASE WHEN NOT $4::boolean OR m.latitude IS NULL THEN ${FAR_AWAY_M}
                     ELSE round(6371000 * sqrt(power(radians(m.longitude - $6::float8) * cos(radians((m.latitude + $5::float8) / 2)), 2)
                                             + power(radians(m.latitude - $5::float8), 2)))::int END AS distance_m
           FROM merchants m
           JOIN campaigns c ON c.public_id = $1
          WHERE m.status = 'approved'
            AND m.category = ANY (c.categories)
            AND (cardinality(c.districts) = 0 OR m.district = ANY (c.districts))
            AND ($2::text IS NULL OR m.district = $2::text)
            AND ($3::text IS NULL OR m.category = $3::text)
       ) usable
       WHERE ($7::int IS NULL OR (distance_m, public_id) > ($7::int, $8::uuid))
       ORDER BY distance_m, public_id
       LIMIT $9`,
      [
        query.campaignId,
        query.district ?? null,
        query.category ?? null,
        located,
        query.lat ?? 0,
        query.lng ?? 0,
        afterDistance,
        afterId,
        query.limit + 1,
      ],
    );
    return toPage(rows, query.limit, (row) => [row.distance_m, row.public_id], (row) => ({
      id: row.public_id,
      shopName: row.shop_name,
      district: row.district,
      category: row.category,
      address: row.address,
      latitude: row.latitude,
      longitude: row.longitude,
      distanceM: located && row.distance_m !== FAR_AWAY_M ? row.distance_m : null,
    }));
  }
}
