import { Module } from '@nestjs/common';
import { SessionsModule } from '@vouchers/sessions';
import { AddCashier } from './add-cashier.usecase';
import { DisableStaff } from './disable-staff.usecase';
import { EnableStaff } from './enable-staff.usecase';
import { ListStaff } from './list-staff.usecase';
import { StaffController } from './staff.controller';

/** Merchant admins manage their own cashiers: add, list, disable and enable again. */
@Module({
  imports: [SessionsModule],
  controllers: [StaffController],
  providers: [AddCashier, ListStaff, DisableStaff, EnableStaff],
})
export class StaffModule {}
