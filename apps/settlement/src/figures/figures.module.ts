import { Module } from '@nestjs/common';
import { FiguresController } from './figures.controller';
import { FiguresMetrics } from './figures-metrics';
import { FiguresReport } from './figures-report.usecase';
import { LeagueTable } from './league-table.usecase';
import { PartyCounts } from './party-counts';
import { PeriodTotals } from './period-totals';
import { ReadFigures } from './read-figures.usecase';
import { SetTargets } from './set-targets.usecase';

/** The program's figures for officials, and the business metrics on this app's /metrics. */
@Module({
  controllers: [FiguresController],
  providers: [PartyCounts, PeriodTotals, ReadFigures, FiguresReport, LeagueTable, SetTargets, FiguresMetrics],
})
export class FiguresModule {}
