import { Inject, Injectable } from '@nestjs/common';
import { Role, TokenService } from '@vouchers/auth';
import { AppError, maskBankAccount, newPublicId, sealBankAccount } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Merchant, recordAudit } from '@vouchers/database';
import { OneTimeCodes } from '@vouchers/otp';
import { DataSource, EntityManager } from 'typeorm';
import { EligibilitySync } from '../review/eligibility-sync';
import { staffViewOf } from '../staff/dtos/staff.view';
import { normaliseStaffName } from '../staff/staff-name';
import { insertStaffMember } from '../staff/staff-members';
import { merchantViewOf } from './dtos/merchant.view';
import { RegisterMerchantDto } from './dtos/register-merchant.dto';
import { RegistrationView } from './dtos/registration.view';
import { requireBankAccountNumber, requireCoordinates, requireCreditCode } from './merchant-rules';
import { OnboardingErrorCode } from './onboarding-errors';

const DEFAULT_ADMIN_NAME = '管理员';

export interface RegisterMerchantCommand extends RegisterMerchantDto {
  /** The client's address, for the one-time code's per-address limit. */
  clientAddress: string;
  requestId: string | null;
}

/**
 * A business registers itself: the one-time code proves the admin's number, and in one
 * transaction the merchant (pending review) and its admin are created and the registration
 * is audited. The bank account number is stored only sealed (AES-GCM) and masked.
 */
@Injectable()
export class RegisterMerchant {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(EligibilitySync) private readonly eligibility: EligibilitySync,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(command: RegisterMerchantCommand): Promise<RegistrationView> {
    // Every field is checked before the code is used up, so a typo does not cost a new code.
    const creditCode = requireCreditCode(command.creditCode);
    const accountNumber = requireBankAccountNumber(command.bankAccountNumber);
    const { latitude, longitude } = requireCoordinates(command.latitude, command.longitude);
    const adminName = command.adminName === undefined ? DEFAULT_ADMIN_NAME : normaliseStaffName(command.adminName);
    if (adminName === null) throw AppError.badRequest(OnboardingErrorCode.AdminNameInvalid, 'A name is 1-64 characters');

    const phone = await this.codes.verify({ phone: command.phone, code: command.code, address: command.clientAddress });

    const { merchant, admin } = await this.db.transaction(async (manager) => {
      const merchant = await insertPendingMerchant(manager, {
        publicId: newPublicId(),
        creditCode,
        registeredName: command.registeredName.trim(),
        shopName: command.shopName.trim(),
        district: command.district,
        category: command.category,
        address: command.address.trim(),
        latitude,
        longitude,
        contactPhone: command.contactPhone?.trim() ?? null,
        bankAccountName: command.bankAccountName.trim(),
        bankName: command.bankName.trim(),
        bankAccountCipher: sealBankAccount(accountNumber, this.config.bankAccountKey),
        bankAccountMasked: maskBankAccount(accountNumber),
        status: 'pending',
      });
      if (!merchant) throw AppError.conflict(OnboardingErrorCode.CreditCodeTaken, 'A merchant with this credit code is already registered');
      const admin = await insertStaffMember(manager, merchant.id, { phone, name: adminName, role: Role.MerchantAdmin });
      if (!admin) throw new Error('the admin of a merchant created in this transaction already existed');
      await recordAudit(manager, {
        actorId: admin.publicId,
        actorRole: Role.MerchantAdmin,
        action: 'merchant.register',
        targetType: 'merchant',
        targetId: merchant.publicId,
        detail: { creditCode, shopName: merchant.shopName, district: merchant.district, category: merchant.category },
        requestId: command.requestId,
      });
      return { merchant, admin };
    });
    // Pending is not eligible either way; the entry is written so the index mirrors every row.
    await this.eligibility.follow(merchant.publicId);

    return {
      accessToken: this.tokens.issueAccessToken({ sub: admin.publicId, role: Role.MerchantAdmin, merchantId: merchant.publicId }),
      expiresInSeconds: this.config.accessTokenTtlSeconds,
      staff: staffViewOf(admin),
      merchant: merchantViewOf(merchant),
    };
  }
}

type NewMerchant = Omit<Merchant, 'id' | 'createdAt' | 'updatedAt'>;

/**
 * Inserts a pending merchant; null when its credit code is already registered (one merchant
 * per business). ON CONFLICT DO NOTHING, not a caught error, so the transaction stays usable
 * and two registrations racing for one code end with one row and one 409; the only unique key
 * a new row can meet is the credit code (its public id is new).
 */
async function insertPendingMerchant(manager: EntityManager, fields: NewMerchant): Promise<Merchant | null> {
  const merchant = manager.create(Merchant, fields);
  // The insert fills in what the database generates (the id, created_at, updated_at); nothing when it was ignored.
  const inserted = await manager.createQueryBuilder().insert().into(Merchant).values(merchant).orIgnore().execute();
  return inserted.raw.length > 0 ? merchant : null;
}
