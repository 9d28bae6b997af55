import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, decodeIdCursor, Page, toPage } from '@vouchers/common';
import { Merchant, MerchantBankAccountChange } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { ListBankAccountChangesQuery } from './bank-account-change.dto';
import { bankAccountChangeViewOf, BankAccountChangeReviewView } from './bank-account-change.view';
import { BANK_ACCOUNT_CHANGE } from './bank-accounts';

/** What the review shows of the merchant beside its change: who it is, and its approved account masked. */
const MERCHANT_COLUMNS = ['publicId', 'creditCode', 'shopName', 'registeredName', 'district', 'status', 'bankAccountName', 'bankName', 'bankAccountMasked'] as const;

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
    const changes = this.db.manager
      .createQueryBuilder(MerchantBankAccountChange, 'c')
      .innerJoin('c.merchant', 'm')
      .select(Object.keys(BANK_ACCOUNT_CHANGE).map((field) => `c.${field}`))
      .addSelect(MERCHANT_COLUMNS.map((field) => `m.${field}`))
      .where('c.status = :status', { status: query.status ?? 'pending' });
    if (district !== null) changes.andWhere('m.district = :district', { district });
    if (after !== null) changes.andWhere('c.publicId > :after', { after });
    const rows = await changes.orderBy('c.publicId').limit(query.limit + 1).getMany();
    return toPage(rows, query.limit, (change) => [change.publicId], (change) => {
      // Joined, not left-joined: every change has its merchant.
      const merchant = change.merchant as Merchant;
      return {
        ...bankAccountChangeViewOf(change),
        merchant: {
          id: merchant.publicId,
          creditCode: merchant.creditCode,
          shopName: merchant.shopName,
          registeredName: merchant.registeredName,
          district: merchant.district,
          status: merchant.status,
        },
        current: { bankAccountName: merchant.bankAccountName, bankName: merchant.bankName, bankAccountMasked: merchant.bankAccountMasked },
        decidedBy: change.decidedBy,
        decidedAt: change.decidedAt,
        reason: change.reason,
      };
    });
  }
}
