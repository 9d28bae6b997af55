import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { ListMerchantsQuery } from './list-merchants.query';

export interface MerchantSummary {
  id: string;
  creditCode: string;
  shopName: string;
  district: string;
  category: string;
  status: string;
  /** Only the masked form ever leaves the server. */
  bankAccountMasked: string | null;
}

interface MerchantRow {
  public_id: string;
  credit_code: string;
  shop_name: string;
  district: string;
  category: string;
  status: string;
  bank_account_masked: string | null;
}

/** A LIKE pattern prefix with the caller's % and _ taken literally. */
function likePrefix(prefix: string | undefined): string | null {
  return prefix === undefined ? null : prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
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
    const rows: MerchantRow[] = await this.db.query(
      `SELECT public_id, credit_code, shop_name, district, category, status, bank_account_masked
         FROM merchants
        WHERE ($1::text IS NULL OR district = $1::text)
          AND ($2::text IS NULL OR category = $2::text)
          AND ($3::text IS NULL OR status = $3::text)
          AND ($4::uuid IS NULL OR public_id > $4::uuid)
          AND ($6::text IS NULL OR shop_name LIKE $6::text || '%')
        ORDER BY public_id
        LIMIT $5`,
      [district, query.category ?? null, query.status ?? null, after, query.limit + 1, likePrefix(query.namePrefix)],
    );
    return toPage(rows, query.limit, (row) => [row.public_id], (row) => ({
      id: row.public_id,
      creditCode: row.credit_code,
      shopName: row.shop_name,
      district: row.district,
      category: row.category,
      status: row.status,
      bankAccountMasked: row.bank_account_masked,
    }));
  }
}
