import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { consentsOf } from '../consents/consents';
import { PRIVACY_NOTICE_VERSION } from '../consents/privacy-notice';
import { ResidentConsentsView } from '../dtos/resident-consent.view';
import { ResidentErrorCode } from '../resident-errors';
import { findResidentByPublicId } from '../resident-lookup';

/** The consents the caller gave, as recorded: what they agreed to, under which notice, and when. */
@Injectable()
export class GetMyConsents {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(caller: AuthUser): Promise<ResidentConsentsView> {
    const resident = await findResidentByPublicId(this.db.manager, caller.sub);
    if (!resident) throw new AppError(ResidentErrorCode.ResidentNotFound, 'No such resident; sign in again');
    const items = await consentsOf(this.db.manager, resident.id);
    return {
      items: items.map((consent) => ({ kind: consent.kind, version: consent.version, givenAt: consent.givenAt.toISOString() })),
      currentVersion: PRIVACY_NOTICE_VERSION,
    };
  }
}
