import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { DataSource } from 'typeorm';
import { recordConsents } from '../consents/consents';
import { requireCurrentNotice } from '../consents/privacy-notice';
import { requireOwnAccount } from '../resident-lookup';

/**
 * A resident signed in under an older notice agrees to the one in force, without signing in
 * again: the H5 shows the new notice once, when it finds no consent to it on record. Recorded as
 * the sign-in records it (a consent already on record keeps its first time).
 */
@Injectable()
export class AgreeToNotice {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(caller: AuthUser, privacyNotice: string | undefined): Promise<void> {
    requireCurrentNotice(privacyNotice);
    await this.db.transaction(async (manager) => {
      const resident = await requireOwnAccount(manager, caller);
      await recordConsents(manager, resident.id, ['privacy_notice']);
    });
  }
}
