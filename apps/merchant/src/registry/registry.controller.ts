import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { ListMerchantsQuery } from './list-merchants.query';
import { ListMerchants, MerchantSummary } from './list-merchants.usecase';

@ApiTags('merchants')
@Controller('v1/merchants')
export class RegistryController {
  constructor(@Inject(ListMerchants) private readonly listMerchants: ListMerchants) {}

  @Get()
  @Auth(Role.CommerceOfficial, Role.Auditor)
  @ApiOperation({
    summary: 'The merchant registry for officials, filtered, in stable keyset pages',
    description: "A district official sees their own district; asking for another is FORBIDDEN.",
  })
  @ApiPageResponse(MerchantSummary)
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  list(@CurrentUser() user: AuthUser, @Query() query: ListMerchantsQuery): Promise<Page<MerchantSummary>> {
    return this.listMerchants.execute(user, query);
  }
}
