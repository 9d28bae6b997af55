import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, maskBankAccount, sealBankAccount } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { recordAudit } from '@vouchers/database';
import type { MerchantStatus } from '@vouchers/eligibility';
import { DataSource } from 'typeorm';
import { requireMerchantCaller } from '../staff/merchant-caller';
import { merchantViewOf, MerchantView } from './dtos/merchant.view';
import { UpdateMerchantDto } from './dtos/update-merchant.dto';
import { requireBankAccountNumber, requireCoordinates } from './merchant-rules';
import { findOwnMerchant, MerchantChanges, updateOwnMerchant } from './merchant.records';
import { OnboardingErrorCode } from './onboarding-errors';

/** A rejected or suspended merchant's details stay as they were decided on. */
const EDITABLE_STATUSES: readonly MerchantStatus[] = ['pending', 'approved'];

/**
 * An admin changes their own merchant's contact, address or bank details, audited. A new
 * account number is sealed and re-masked; the audit keeps the masks only.
 */
@Injectable()
export class UpdateMyMerchant {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(user: AuthUser, dto: UpdateMerchantDto, requestId: string | null): Promise<MerchantView> {
    const changes = this.changesOf(dto);
    const fields = Object.keys(changes);
    if (fields.length === 0) throw AppError.badRequest(OnboardingErrorCode.NothingToChange, 'Name at least one field to change');

    return this.db.transaction(async (manager) => {
      const caller = await requireMerchantCaller(manager, user, { adminOnly: true, lockMerchant: true });
      if (!EDITABLE_STATUSES.includes(caller.merchantStatus)) {
        throw AppError.conflict(OnboardingErrorCode.MerchantNotEditable, `A ${caller.merchantStatus} merchant's details cannot be changed`, {
          status: caller.merchantStatus,
        });
      }
      const before = await findOwnMerchant(manager, caller);
      const after = await updateOwnMerchant(manager, caller, changes);
      await recordAudit(manager, {
        actorId: caller.staffId,
        actorRole: caller.role,
        action: 'merchant.update',
        targetType: 'merchant',
        targetId: caller.merchantId,
        detail: {
          changed: fields.filter((field) => field !== 'bankAccountCipher'),
          ...(changes.bankAccountMasked !== undefined
            ? { bankAccountMasked: { from: before?.bank_account_masked ?? null, to: after.bank_account_masked } }
            : {}),
        },
        requestId,
      });
      return merchantViewOf(after);
    });
  }

  private changesOf(dto: UpdateMerchantDto): MerchantChanges {
    const changes: MerchantChanges = {};
    if (dto.address !== undefined) changes.address = dto.address.trim();
    if (dto.contactPhone !== undefined) changes.contactPhone = dto.contactPhone.trim();
    if (dto.bankAccountName !== undefined) changes.bankAccountName = dto.bankAccountName.trim();
    if (dto.bankName !== undefined) changes.bankName = dto.bankName.trim();
    if (dto.latitude !== undefined || dto.longitude !== undefined) {
      const { latitude, longitude } = requireCoordinates(dto.latitude, dto.longitude);
      Object.assign(changes, { latitude, longitude });
    }
    if (dto.bankAccountNumber !== undefined) {
      const accountNumber = requireBankAccountNumber(dto.bankAccountNumber);
      changes.bankAccountCipher = sealBankAccount(accountNumber, this.config.bankAccountKey);
      changes.bankAccountMasked = maskBankAccount(accountNumber);
    }
    return changes;
  }
}
