import { Inject, Injectable } from '@nestjs/common';
import { AppError, maskBankAccount, openBankAccount, sealBankAccount } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { recordAudit } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { MerchantCaller } from '../staff/merchant-caller';
import { BankAccountChangeErrorCode } from './bank-account-change-errors';
import {
  approvedBankAccountOf,
  BankAccountChange,
  insertPendingChange,
  StoredBankAccount,
  WholeBankAccount,
  withdrawPendingChange,
} from './bank-accounts';

/** The bank fields an admin sent: checked and trimmed, the number as digits. Any may be absent. */
export interface GivenBankAccount {
  bankAccountName?: string;
  bankName?: string;
  bankAccountNumber?: string;
}

export const maskedAccountOf = (account: StoredBankAccount) => ({
  bankAccountName: account.bankAccountName,
  bankName: account.bankName,
  bankAccountMasked: account.bankAccountMasked,
});

/**
 * An approved merchant's admin asks for a new bank account. One SMS code signs an admin in,
 * so a changed account must not take the merchant's money at once: it is held for an
 * official's review (DecideBankAccountChange), and the merchant's own columns, the only ones
 * settlement reads, keep the approved account until then.
 *
 * The request is whole: the fields named, the others as the approved account has them. The
 * latest request wins: it withdraws a change still pending, and asking for the approved
 * account itself withdraws it and holds nothing. Runs in the caller's transaction, under the
 * merchant's row lock; audited with both accounts masked.
 */
@Injectable()
export class RequestBankAccountChange {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** Answers the change now pending, or null when the approved account was asked for. */
  async execute(manager: EntityManager, caller: MerchantCaller, given: GivenBankAccount, requestId: string | null): Promise<BankAccountChange | null> {
    const current = await approvedBankAccountOf(manager, caller.merchantRowId);
    const requested = this.wholeAccount(current, given);
    const audit = (action: string, detail: Record<string, unknown>) =>
      recordAudit(manager, {
        actorId: caller.staffId,
        actorRole: caller.role,
        action,
        targetType: 'merchant',
        targetId: caller.merchantId,
        detail,
        requestId,
      });

    if (this.isApprovedAccount(current, requested, given.bankAccountNumber)) {
      const withdrawn = await withdrawPendingChange(manager, caller.merchantRowId, caller.staffId, 'The approved account was asked for again');
      if (withdrawn) await audit('merchant.bank_account_change.withdrawn', { changeId: withdrawn });
      return null;
    }
    const withdrawn = await withdrawPendingChange(manager, caller.merchantRowId, caller.staffId, 'Replaced by a later request');
    const held = await insertPendingChange(manager, caller.merchantRowId, requested, caller.staffId);
    await audit('merchant.bank_account_change.requested', {
      changeId: held.publicId,
      from: maskedAccountOf(current),
      to: maskedAccountOf(requested),
      ...(withdrawn ? { withdrew: withdrawn } : {}),
    });
    return held;
  }

  private wholeAccount(current: StoredBankAccount, given: GivenBankAccount): WholeBankAccount {
    const number = given.bankAccountNumber;
    const account: StoredBankAccount = {
      bankAccountName: given.bankAccountName ?? current.bankAccountName,
      bankName: given.bankName ?? current.bankName,
      bankAccountCipher: number !== undefined ? sealBankAccount(number, this.config.bankAccountKey) : current.bankAccountCipher,
      bankAccountMasked: number !== undefined ? maskBankAccount(number) : current.bankAccountMasked,
    };
    const missing = Object.entries(account).filter(([, value]) => value === null);
    if (missing.length > 0) {
      throw AppError.badRequest(
        BankAccountChangeErrorCode.AccountIncomplete,
        'The merchant has no bank account yet: give bankAccountName, bankName and bankAccountNumber together',
      );
    }
    return account as WholeBankAccount;
  }

  /** Whether the account asked for is the approved one (the number compared in clear: its cipher has a random IV). */
  private isApprovedAccount(current: StoredBankAccount, requested: WholeBankAccount, number: string | undefined): boolean {
    if (requested.bankAccountName !== current.bankAccountName || requested.bankName !== current.bankName) return false;
    if (number === undefined) return true;
    if (current.bankAccountCipher === null) return false;
    try {
      return openBankAccount(current.bankAccountCipher, this.config.bankAccountKey) === number;
    } catch {
      // sealed under another key or damaged: a number given now is a change
      return false;
    }
  }
}
