import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { DataSource } from 'typeorm';
import { residentProfileOf, ResidentProfileView } from '../dtos/resident-profile.view';
import { requireOwnAccount } from '../resident-lookup';

/** The caller's own profile, masked. There is no way to ask for anyone else's. */
@Injectable()
export class GetMyProfile {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(caller: AuthUser): Promise<ResidentProfileView> {
    const resident = await requireOwnAccount(this.db.manager, caller);
    return residentProfileOf(resident);
  }
}
