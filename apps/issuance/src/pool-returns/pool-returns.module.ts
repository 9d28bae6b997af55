import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { PoolReturnMetrics } from './pool-return-metrics';
import { ProgramBudgetController } from './program-budget.controller';
import { ReadProgramBudget } from './read-program-budget.usecase';
import { ReturnStock } from './return-stock';
import { ReturnToPool } from './return-to-pool';
import { ReturnWatch } from './return-watch';

/** Return to the pool (回流): the job, its Redis step (the admission scripts, registered by ClaimsModule) and the program budget's read. */
@Module({
  imports: [ClaimsModule],
  controllers: [ProgramBudgetController],
  providers: [PoolReturnMetrics, ReadProgramBudget, ReturnStock, ReturnToPool, ReturnWatch],
  exports: [ReturnToPool],
})
export class PoolReturnsModule {}
