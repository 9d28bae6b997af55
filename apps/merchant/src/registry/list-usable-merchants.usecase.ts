import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AppError, CATEGORIES, CommonErrorCode, cursorInt, decodeCursor, DISTRICT_CODES, isPublicId, Page, toPage } from '@vouchers/common';
import { Campaign, Merchant } from '@vouchers/database';
import { DataSource, In } from 'typeorm';
import { UsableMerchantsQuery } from './usable-merchants.query';
import { USABLE_MERCHANTS } from './usable-merchants.sql';

export class UsableMerchant {
  @ApiProperty({ description: 'Public id of the merchant', format: 'uuid' })
  id: string;

  @ApiProperty({ example: '示例小馆' })
  shopName: string;

  @ApiProperty({ enum: DISTRICT_CODES })
  district: string;

  @ApiProperty({ enum: CATEGORIES })
  category: string;

  @ApiProperty({ example: '海曙区中山西路 1 号' })
  address: string;

  @ApiProperty({ type: Number, nullable: true, example: 29.8683 })
  latitude: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 121.544 })
  longitude: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 850,
    description: 'Metres from the given point (flat-earth approximation, fine at city scale); null without a point',
  })
  distanceM: number | null;
}

/** A row of USABLE_MERCHANTS: what a shop front shows, and its distance from the point. */
type Row = Pick<Merchant, 'publicId' | 'shopName' | 'district' | 'category' | 'address' | 'latitude' | 'longitude'> & { distanceM: number };

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
    const published = await this.db.manager.exists(Campaign, {
      where: { publicId: query.campaignId, status: In(['scheduled', 'active', 'paused']) },
    });
    if (!published) throw new AppError(CommonErrorCode.CampaignNotFound, 'No such published campaign');
    const rows: Row[] = await this.db.query(USABLE_MERCHANTS, [
      query.campaignId,
      query.district ?? null,
      query.category ?? null,
      located,
      query.lat ?? 0,
      query.lng ?? 0,
      afterDistance,
      afterId,
      query.limit + 1,
      FAR_AWAY_M,
    ]);
    return toPage(rows, query.limit, (row) => [row.distanceM, row.publicId], (row) => ({
      id: row.publicId,
      shopName: row.shopName,
      district: row.district,
      category: row.category,
      address: row.address,
      latitude: row.latitude,
      longitude: row.longitude,
      distanceM: located && row.distanceM !== FAR_AWAY_M ? row.distanceM : null,
    }));
  }
}
