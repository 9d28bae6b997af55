import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { ApiProperty } from '@nestjs/swagger';
import { AppError, CATEGORIES, CommonErrorCode, decodeIdCursor, DISTRICT_CODES, Page, toPage } from '@vouchers/common';
import { Merchant } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { MERCHANT_STATUSES } from '../review/merchant-states';
import { ListMerchantsQuery } from './list-merchants.query';

export class MerchantSummary {
  @ApiProperty({ description: 'Public id of the merchant', format: 'uuid' })
  id: string;

  @ApiProperty({ example: '91330203MA2AB3CD1J' })
  creditCode: string;

  @ApiProperty({ example: '示例小馆' })
  shopName: string;

  @ApiProperty({ enum: DISTRICT_CODES })
  district: string;

  @ApiProperty({ enum: CATEGORIES })
  category: string;

  @ApiProperty({ enum: MERCHANT_STATUSES })
  status: string;

  @ApiProperty({ type: String, nullable: true, description: 'Only the masked form ever leaves the server', example: '6222 **** **** 0123' })
  bankAccountMasked: string | null;
}

/** A LIKE pattern of names starting with the prefix, the caller's % and _ taken literally. */
function startingWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The officials' view of the registry, in a stable order (public id, time-ordered) with
 * keyset pages. A district official sees only their district:
 * the scope comes from the token, and asking for another district is refused, not widened.
 */
@Injectable()
export class ListMerchants {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, query: ListMerchantsQuery): Promise<Page<MerchantSummary>> {
    if (official.district && query.district && query.district !== official.district) {
      throw new AppError(CommonErrorCode.Forbidden, 'You may only read merchants of your own district');
    }
    const district = official.district ?? query.district ?? null;
    const after = decodeIdCursor(query.cursor);
    const merchants = this.db.manager
      .createQueryBuilder(Merchant, 'm')
      .select(['m.publicId', 'm.creditCode', 'm.shopName', 'm.district', 'm.category', 'm.status', 'm.bankAccountMasked']);
    if (district !== null) merchants.andWhere('m.district = :district', { district });
    if (query.category !== undefined) merchants.andWhere('m.category = :category', { category: query.category });
    if (query.status !== undefined) merchants.andWhere('m.status = :status', { status: query.status });
    if (after !== null) merchants.andWhere('m.publicId > :after', { after });
    if (query.namePrefix !== undefined) merchants.andWhere('m.shopName LIKE :pattern', { pattern: startingWith(query.namePrefix) });
    const rows = await merchants.orderBy('m.publicId').limit(query.limit + 1).getMany();
    return toPage(rows, query.limit, (merchant) => [merchant.publicId], (merchant) => ({
      id: merchant.publicId,
      creditCode: merchant.creditCode,
      shopName: merchant.shopName,
      district: merchant.district,
      category: merchant.category,
      status: merchant.status,
      bankAccountMasked: merchant.bankAccountMasked,
    }));
  }
}
