import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { DataSource } from 'typeorm';
import { consentsOf } from '../consents/consents';
import { PRIVACY_NOTICE_VERSION } from '../consents/privacy-notice';
import { ResidentConsentsView } from '../dtos/resident-consent.view';
import { requireOwnAccount } from '../resident-lookup';

/** The consents the caller gave, as recorded: what they agreed to, under which notice, and when. */
@Injectable()
export class GetMyConsents {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(caller: AuthUser): Promise<ResidentConsentsView> {
    const resident = await requireOwnAccount(this.db.manager, caller);
    const items = await consentsOf(this.db.manager, resident.id);
    return {
      items: items.map((consent) => ({ kind: consent.kind, version: consent.version, givenAt: consent.givenAt.toISOString() })),
      currentVersion: PRIVACY_NOTICE_VERSION,
    };
  }
}
