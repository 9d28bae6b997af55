import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, decodeIdCursor, Page, toPage } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { BankAccountChangeRecord } from './bank-account-change.records';
import { ListBankAccountChangesQuery } from './bank-account-change.dto';
import { bankAccountChangeViewOf, BankAccountChangeReviewView } from './bank-account-change.view';

interface ReviewRow extends BankAccountChangeRecord {
  merchant_public_id: string;
  credit_code: string;
  shop_name: string;
  district: string;
  merchant_status: string;
  current_account_name: string | null;
  current_bank_name: string | null;
  current_account_masked: string | null;
}

/**
 * Bank account changes for officials to review, oldest first in keyset pages: each with the
 * merchant's approved account beside the one asked for, both masked. A district official sees
 * their own district's only (from the token; asking for another is refused, not widened).
 */
@Injectable()
export class ListBankAccountChanges {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, query: ListBankAccountChangesQuery): Promise<Page<BankAccountChangeReviewView>> {
    if (official.district && query.district && query.district !== official.district) {
      throw new AppError(CommonErrorCode.Forbidden, 'You may only read changes of merchants of your own district');
    }
    const district = official.district ?? query.district ?? null;
    const after = decodeIdCursor(query.cursor);
    const rows: ReviewRow[] = await this.db.query(
      `SELECT c.public_id, c.status, c.bank_account_name, c.bank_name, c.bank_account_masked, c.requested_by, c.requested_at,
              c.decided_by, c.decided_at, c.reason,
              m.public_id AS merchant_public_id, m.credit_code, m.shop_name, m.district, m.status AS merchant_status,
              m.bank_account_name AS current_account_name, m.bank_name AS current_bank_name, m.bank_account_masked AS current_account_masked
         FROM merchant_bank_account_changes c JOIN merchants m ON m.id = c.merchant_id
        WHERE c.status = $1
          AND ($2::text IS NULL OR m.district = $2::text)
          AND ($3::uuid IS NULL OR c.public_id > $3::uuid)
        ORDER BY c.public_id
        LIMIT $4`,
      [query.status ?? 'pending', district, after, query.limit + 1],
    );
    return toPage(rows, query.limit, (row) => [row.public_id], (row) => ({
      ...bankAccountChangeViewOf(row),
      merchant: { id: row.merchant_public_id, creditCode: row.credit_code, shopName: row.shop_name, district: row.district, status: row.merchant_status },
      current: { bankAccountName: row.current_account_name, bankName: row.current_bank_name, bankAccountMasked: row.current_account_masked },
      decidedBy: row.decided_by,
      decidedAt: row.decided_at,
      reason: row.reason,
    }));
  }
}
