import { Module } from '@nestjs/common';
import { PlatformModule } from '@vouchers/http';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClaimsModule } from './claims/claims.module';
import { CodesModule } from './codes/codes.module';
import { LotteryModule } from './lottery/lottery.module';
import { PoolReturnsModule } from './pool-returns/pool-returns.module';
import { ResidentsModule } from './residents/residents.module';

/** Residents and campaign administration: sign-in, campaigns, rounds, the grab, lottery rounds, checkout codes, returns to the pool. */
@Module({
  imports: [PlatformModule.forApp('issuance'), CampaignsModule, ClaimsModule, CodesModule, LotteryModule, PoolReturnsModule, ResidentsModule],
})
export class IssuanceModule {}
