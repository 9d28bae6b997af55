import { Module } from '@nestjs/common';
import { SessionsModule } from '@vouchers/sessions';
import { OfficialAuthModule } from '../official-auth/official-auth.module';
import { ListOfficials } from './list-officials.usecase';
import { ManageOfficials } from './manage-officials.usecase';
import { OfficialsController } from './officials.controller';

/** The account administrators' API over officials' accounts. */
@Module({
  imports: [SessionsModule, OfficialAuthModule],
  controllers: [OfficialsController],
  providers: [ManageOfficials, ListOfficials],
})
export class OfficialsModule {}
