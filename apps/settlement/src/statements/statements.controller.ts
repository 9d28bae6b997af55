import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, IsBusinessDate, Page, PageQueryDto } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { MerchantCallerErrorCode, MerchantCallers } from '@vouchers/merchant-caller';
import { DayStatement, MerchantStatements } from './merchant-statements.usecase';
import { StatementView } from './statement.view';

class StatementDayParams {
  @IsBusinessDate()
  date: string;
}

@ApiTags('statements')
@Controller('v1/merchant/statements')
@Auth(Role.MerchantAdmin)
@AnswersErrors(MerchantCallerErrorCode.StaffInactive, CommonErrorCode.DatabaseUnavailable)
export class StatementsController {
  constructor(
    @Inject(MerchantStatements) private readonly statements: MerchantStatements,
    @Inject(MerchantCallers) private readonly callers: MerchantCallers,
  ) {}

  @Get()
  @ApiOperation({ summary: "My merchant's settlement lines, one per batch, latest business day first" })
  @ApiPageResponse(StatementView)
  async list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<StatementView>> {
    const admin = await this.callers.check(user, { adminOnly: true });
    return this.statements.list(admin.merchantId, query.limit, query.cursor);
  }

  @Get('days/:date')
  @ApiOperation({ summary: "My merchant's statement of one business day: its settlement line, and what is not settled yet" })
  @ApiParam({ name: 'date', description: 'Business day (Asia/Shanghai), YYYY-MM-DD', example: '2026-11-26' })
  @ApiOkResponse({ type: DayStatement })
  // The date in the path is held to StatementDayParams: a day that does not exist is refused.
  @AnswersErrors(CommonErrorCode.ValidationFailed)
  async day(@CurrentUser() user: AuthUser, @Param() params: StatementDayParams): Promise<DayStatement> {
    const admin = await this.callers.check(user, { adminOnly: true });
    return this.statements.day(admin.merchantId, params.date);
  }
}
