import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Role } from '@vouchers/auth';
import { CommonErrorCode } from '@vouchers/common';
import { AnswersErrors } from '@vouchers/http';
import { ProgramBudgetView } from './program-budget.view';
import { ReadProgramBudget } from './read-program-budget.usecase';

/** The program's budget, for the officials who plan campaigns and watch its money, and the auditors. */
@ApiTags('campaign administration')
@Controller('v1/admin/program-budget')
@Auth(Role.CommerceOfficial, Role.FinanceOfficial, Role.Auditor)
export class ProgramBudgetController {
  constructor(@Inject(ReadProgramBudget) private readonly read: ReadProgramBudget) {}

  @Get()
  @ApiOperation({
    summary: "The program's budget: total, committed, spent, returned to it by campaigns (回流) and available",
    description:
      "committed is the campaigns' budgets now; a campaign whose return policy is program_budget has its budget lowered by the " +
      'value of its expired and unclaimed vouchers, which then counts as returned and raises available (total - committed). ' +
      'balanced says whether the figures add up, problems what does not.',
  })
  @ApiOkResponse({ type: ProgramBudgetView })
  @AnswersErrors(CommonErrorCode.DatabaseUnavailable)
  get(): Promise<ProgramBudgetView> {
    return this.read.execute();
  }
}
