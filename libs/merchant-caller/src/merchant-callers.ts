import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { DataSource } from 'typeorm';
import { CallerOptions, MerchantCaller, requireMerchantCaller } from './merchant-caller';

/**
 * requireMerchantCaller for a route that reads outside a transaction. Controllers call it after
 * their pipes (as the merchant app's use cases do), so a bad request is refused the same way
 * whoever sends it, and a disabled staff member gets 403 STAFF_INACTIVE before anything is read.
 */
@Injectable()
export class MerchantCallers {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  check(user: AuthUser, options: CallerOptions = {}): Promise<MerchantCaller> {
    return requireMerchantCaller(this.db.manager, user, options);
  }
}
