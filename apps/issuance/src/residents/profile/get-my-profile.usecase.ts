import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { residentProfileOf, ResidentProfileView } from '../dtos/resident-profile.view';
import { ResidentErrorCode } from '../resident-errors';
import { findResidentByPublicId } from '../resident-lookup';

/** The caller's own profile, masked. There is no way to ask for anyone else's. */
@Injectable()
export class GetMyProfile {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(caller: AuthUser): Promise<ResidentProfileView> {
    const resident = await findResidentByPublicId(this.db.manager, caller.sub);
    if (!resident) throw AppError.notFound(ResidentErrorCode.ResidentNotFound, 'No such resident; sign in again');
    return residentProfileOf(resident);
  }
}
