import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, maskBankAccount, sealBankAccount } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { recordAudit } from '@vouchers/database';
import type { MerchantStatus } from '@vouchers/eligibility';
import { DataSource } from 'typeorm';
import { pendingChangeOf } from '../bank-account-changes/bank-accounts';
import { GivenBankAccount, RequestBankAccountChange } from '../bank-account-changes/request-bank-account-change.usecase';
import { requireMerchantCaller } from '@vouchers/merchant-caller';
import { merchantViewOf, MerchantView } from './dtos/merchant.view';
import { UpdateMerchantDto } from './dtos/update-merchant.dto';
import { requireBankAccountNumber, requireCoordinates } from './merchant-rules';
import { findOwnMerchant, MerchantChanges, updateOwnMerchant } from './own-merchant';
import { OnboardingErrorCode } from './onboarding-errors';

/** A rejected or suspended merchant's details stay as they were decided on. */
const EDITABLE_STATUSES: readonly MerchantStatus[] = ['pending', 'approved'];

/** The fields that together say where a merchant's money goes. */
const BANK_FIELDS = ['bankAccountName', 'bankName', 'bankAccountCipher', 'bankAccountMasked'] as const;

export interface MerchantUpdate {
  merchant: MerchantView;
  /** True when this request's bank account is held for an official's review (answered 202). */
  bankAccountHeld: boolean;
}

/**
 * An admin changes their own merchant's contact, address or bank details, audited. A new
 * account number is sealed and re-masked; the audit keeps the masks only.
 *
 * A merchant still pending (never approved, never paid) changes its bank account at once, as
 * it changes anything else. An approved merchant's new account is only asked for: one SMS code
 * signs an admin in, so it is held for an official's review (RequestBankAccountChange), and
 * payouts keep going to the approved account until an official approves the new one. The
 * other fields of the same request are changed at once.
 */
@Injectable()
export class UpdateMyMerchant {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RequestBankAccountChange) private readonly bankAccountChanges: RequestBankAccountChange,
  ) {}

  async execute(user: AuthUser, dto: UpdateMerchantDto, requestId: string | null): Promise<MerchantUpdate> {
    const { changes, bankAccount } = this.changesOf(dto);
    if (Object.keys(changes).length === 0) throw new AppError(CommonErrorCode.NothingToChange, 'Name at least one field to change');

    return this.db.transaction(async (manager) => {
      const caller = await requireMerchantCaller(manager, user, { adminOnly: true, lockMerchant: true });
      if (!EDITABLE_STATUSES.includes(caller.merchantStatus)) {
        throw new AppError(OnboardingErrorCode.MerchantNotEditable, `A ${caller.merchantStatus} merchant's details cannot be changed`, {
          status: caller.merchantStatus,
        });
      }
      let direct = changes;
      let bankAccountHeld = false;
      if (caller.merchantStatus === 'approved' && Object.keys(bankAccount).length > 0) {
        direct = withoutBankFields(changes);
        bankAccountHeld = (await this.bankAccountChanges.execute(manager, caller, bankAccount, requestId)) !== null;
      }
      const fields = Object.keys(direct);
      const before = await findOwnMerchant(manager, caller);
      const after = fields.length > 0 ? await updateOwnMerchant(manager, caller, direct) : before;
      if (!after) throw new AppError(CommonErrorCode.MerchantNotFound, 'No such merchant');
      if (fields.length > 0) {
        await recordAudit(manager, {
          actorId: caller.staffId,
          actorRole: caller.role,
          action: 'merchant.update',
          targetType: 'merchant',
          targetId: caller.merchantId,
          detail: {
            changed: fields.filter((field) => field !== 'bankAccountCipher'),
            ...(direct.bankAccountMasked !== undefined
              ? { bankAccountMasked: { from: before?.bankAccountMasked ?? null, to: after.bankAccountMasked } }
              : {}),
          },
          requestId,
        });
      }
      return { merchant: merchantViewOf(after, await pendingChangeOf(manager, caller.merchantRowId)), bankAccountHeld };
    });
  }

  /** The columns to change (a new number sealed and masked), and the bank fields as given, for a change held for review. */
  private changesOf(dto: UpdateMerchantDto): { changes: MerchantChanges; bankAccount: GivenBankAccount } {
    const changes: MerchantChanges = {};
    const bankAccount: GivenBankAccount = {};
    if (dto.address !== undefined) changes.address = dto.address.trim();
    if (dto.contactPhone !== undefined) changes.contactPhone = dto.contactPhone.trim();
    if (dto.bankAccountName !== undefined) changes.bankAccountName = bankAccount.bankAccountName = dto.bankAccountName.trim();
    if (dto.bankName !== undefined) changes.bankName = bankAccount.bankName = dto.bankName.trim();
    if (dto.latitude !== undefined || dto.longitude !== undefined) {
      const { latitude, longitude } = requireCoordinates(dto.latitude, dto.longitude);
      Object.assign(changes, { latitude, longitude });
    }
    if (dto.bankAccountNumber !== undefined) {
      const accountNumber = requireBankAccountNumber(dto.bankAccountNumber);
      bankAccount.bankAccountNumber = accountNumber;
      changes.bankAccountCipher = sealBankAccount(accountNumber, this.config.bankAccountKey);
      changes.bankAccountMasked = maskBankAccount(accountNumber);
    }
    return { changes, bankAccount };
  }
}

function withoutBankFields(changes: MerchantChanges): MerchantChanges {
  const rest: MerchantChanges = { ...changes };
  for (const field of BANK_FIELDS) delete rest[field];
  return rest;
}
