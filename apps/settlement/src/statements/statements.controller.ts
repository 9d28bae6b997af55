import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, merchantIdOf, Role } from '@vouchers/auth';
import { IsBusinessDate, Page, PageQueryDto } from '@vouchers/common';
import { DayStatement, MerchantStatements } from './merchant-statements.usecase';
import { StatementView } from './statement.view';

class StatementDayParams {
  @IsBusinessDate()
  date: string;
}

@ApiTags('statements')
@Controller('v1/merchant/statements')
@Auth(Role.MerchantAdmin)
export class StatementsController {
  constructor(@Inject(MerchantStatements) private readonly statements: MerchantStatements) {}

  @Get()
  @ApiOperation({ summary: "My merchant's settlement lines, one per batch, latest business day first" })
  list(@CurrentUser() admin: AuthUser, @Query() query: PageQueryDto): Promise<Page<StatementView>> {
    return this.statements.list(merchantIdOf(admin), query.limit, query.cursor);
  }

  @Get('days/:date')
  @ApiOperation({ summary: "My merchant's statement of one business day: its settlement line, and what is not settled yet" })
  @ApiParam({ name: 'date', description: 'Business day (Asia/Shanghai), YYYY-MM-DD' })
  day(@CurrentUser() admin: AuthUser, @Param() params: StatementDayParams): Promise<DayStatement> {
    return this.statements.day(merchantIdOf(admin), params.date);
  }
}
