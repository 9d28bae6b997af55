import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { ListUsableMerchants, UsableMerchant } from './list-usable-merchants.usecase';
import { UsableMerchantsQuery } from './usable-merchants.query';

@ApiTags('merchants (public)')
@Controller('v1/public/merchants')
export class PublicMerchantsController {
  constructor(@Inject(ListUsableMerchants) private readonly usable: ListUsableMerchants) {}

  @Get()
  @ApiOperation({ summary: "Where a campaign's vouchers can be used: approved merchants, nearest first with lat/lng; no sign-in" })
  @ApiPageResponse(UsableMerchant)
  @AnswersErrors(CommonErrorCode.CampaignNotFound, CommonErrorCode.DatabaseUnavailable)
  list(@Query() query: UsableMerchantsQuery): Promise<Page<UsableMerchant>> {
    return this.usable.execute(query);
  }
}
