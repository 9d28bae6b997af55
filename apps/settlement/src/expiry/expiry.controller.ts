import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { CommonErrorCode, Page, PageQueryDto } from '@vouchers/common';
import { AnswersErrors, ApiPageResponse } from '@vouchers/http';
import { ExpiryRunView } from './expiry-run.view';
import { ListExpiryRuns } from './list-expiry-runs.usecase';

/** The voucher expiry job's runs, for the officials who watch the programme's money and the auditors. */
@ApiTags('expiry')
@Controller('v1/expiry/runs')
@Auth(Role.FinanceOfficial, Role.CommerceOfficial, Role.Auditor)
@AnswersErrors(CommonErrorCode.DatabaseUnavailable)
export class ExpiryController {
  constructor(@Inject(ListExpiryRuns) private readonly listRuns: ListExpiryRuns) {}

  @Get()
  @ApiOperation({
    summary: 'Runs of the voucher expiry job, newest first, in keyset pages',
    description:
      'Each run expires the claimed vouchers whose validity ended by its cutoff, in chunks of voucher ids, one campaign a chunk: its progress ' +
      '(chunks done of chunks), how many vouchers it expired and their face value, in total and by campaign, voucher type and round. ' +
      "A district official sees their district's campaigns only, and a run's totals over them.",
  })
  @ApiPageResponse(ExpiryRunView)
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<ExpiryRunView>> {
    return this.listRuns.execute(user, query);
  }
}
