import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Role } from '@vouchers/auth';
import { Page } from '@vouchers/common';
import { LedgerBalanceCheck, LedgerBalanceReport } from '../jobs/ledger-balance.check';
import { ListBatchesQuery } from './list-batches.query';
import { BatchSummary, ListBatches } from './list-batches.usecase';

@ApiTags('settlement')
@Controller('v1')
@Auth(Role.FinanceOfficial, Role.Auditor)
export class BatchesController {
  constructor(
    @Inject(ListBatches) private readonly listBatches: ListBatches,
    @Inject(LedgerBalanceCheck) private readonly ledgerBalance: LedgerBalanceCheck,
  ) {}

  @Get('settlement/batches')
  @ApiOperation({ summary: 'Settlement batches, latest business day first' })
  list(@Query() query: ListBatchesQuery): Promise<Page<BatchSummary>> {
    return this.listBatches.execute(query);
  }

  @Get('ledger/balance')
  @ApiOperation({ summary: 'Checks that every ledger posting balances; lists those that do not' })
  balance(): Promise<LedgerBalanceReport> {
    return this.ledgerBalance.run();
  }
}
