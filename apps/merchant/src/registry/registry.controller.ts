import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse, IdCasePipe } from '@vouchers/http';
import { ListMerchantsQuery } from './list-merchants.query';
import { ListMerchants, MerchantSummary } from './list-merchants.usecase';
import { MerchantRecordView } from './merchant-record.view';
import { ReadMerchant } from './read-merchant.usecase';

@ApiTags('merchants')
@Controller('v1/merchants')
export class RegistryController {
  constructor(
    @Inject(ListMerchants) private readonly listMerchants: ListMerchants,
    @Inject(ReadMerchant) private readonly readMerchant: ReadMerchant,
  ) {}

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

  @Get(':merchantId')
  @Auth(Role.CommerceOfficial, Role.Auditor)
  @ApiParam({ name: 'merchantId', description: 'Public id of the merchant (either case)', format: 'uuid' })
  @ApiOperation({
    summary: 'One merchant for officials: its registry entry, its review history and its bank account changes (accounts masked)',
    description:
      "The review history comes from the audit log: the registration (submitted) and every official's decision, with who, " +
      'from what to what, the reason and when. A district official reads merchants of their own district only.',
  })
  @ApiOkResponse({ type: MerchantRecordView })
  @AnswersErrors(CommonErrorCode.MerchantNotFound, CommonErrorCode.DatabaseUnavailable)
  get(@CurrentUser() user: AuthUser, @Param('merchantId', IdCasePipe) merchantId: string): Promise<MerchantRecordView> {
    return this.readMerchant.execute(user, merchantId);
  }
}
