import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, merchantIdOf, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { ListRedemptionsQuery } from './list-redemptions.query';
import { ListRedemptions, RedemptionView } from './list-redemptions.usecase';

@ApiTags('redemptions')
@Controller('v1/redemptions')
export class RedemptionsController {
  constructor(@Inject(ListRedemptions) private readonly listRedemptions: ListRedemptions) {}

  @Get()
  @Auth(Role.MerchantStaff, Role.MerchantAdmin)
  @ApiOperation({ summary: "The caller's merchant's redemptions, newest first" })
  list(@CurrentUser() user: AuthUser, @Query() query: ListRedemptionsQuery): Promise<Page<RedemptionView>> {
    return this.listRedemptions.execute(merchantIdOf(user), query);
  }
}
