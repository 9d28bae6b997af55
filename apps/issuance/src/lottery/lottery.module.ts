import { Module } from '@nestjs/common';
import { ClaimsModule } from '../claims/claims.module';
import { AgreePublicValue } from './agree-public-value.usecase';
import { CampaignLotteriesController } from './campaign-lotteries.controller';
import { CampaignLotteries } from './campaign-lotteries.usecase';
import { DrawLottery } from './draw-lottery.usecase';
import { EntryWriter } from './entry-writer';
import { LotteryAdminController } from './lottery-admin.controller';
import { LotteryController } from './lottery.controller';
import { LotteryFiles } from './lottery-files.usecase';
import { LotteryRounds } from './lottery-rounds';
import { MyEntry } from './my-entry.usecase';
import { SignUp } from './sign-up.usecase';
import { SignUpRoute } from './sign-up.route';

/** Lottery rounds (摇号): sign-up, the four-eyes public value, the draw and its published files (LOTTERY.md), and the officials' read of a campaign's. */
@Module({
  imports: [ClaimsModule],
  controllers: [LotteryController, LotteryAdminController, CampaignLotteriesController],
  providers: [AgreePublicValue, CampaignLotteries, DrawLottery, EntryWriter, LotteryFiles, LotteryRounds, MyEntry, SignUp, SignUpRoute],
})
export class LotteryModule {}
