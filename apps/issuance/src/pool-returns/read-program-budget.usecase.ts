import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@vouchers/config';
import { DataSource } from 'typeorm';
import { availableOf, programBudgetProblems, ProgramBudgetFigures } from './budget-check';
import { PROGRAM_BUDGET_FIGURES } from './budget-figures.sql';
import { ProgramBudgetView } from './program-budget.view';

type FiguresRow = Record<
  | 'committedFen'
  | 'committedCityFen'
  | 'returnedFen'
  | 'handedBackFen'
  | 'handedBackCityFen'
  | 'handedBackDistrictFen'
  | 'spentFen'
  | 'spentCityFen',
  string
> & { handedBackCount: number };

/** The program's budget figures, read in one statement, with the check that they add up. */
@Injectable()
export class ReadProgramBudget {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<ProgramBudgetView> {
    const [row]: FiguresRow[] = await this.db.query(PROGRAM_BUDGET_FIGURES);
    const n = (value: string) => Number(value);
    const figures: ProgramBudgetFigures = {
      totalFen: this.config.annualBudgetFen,
      committedFen: n(row.committedFen),
      returnedFen: n(row.returnedFen),
      handedBackFen: n(row.handedBackFen),
      handedBackCityFen: n(row.handedBackCityFen),
      handedBackDistrictFen: n(row.handedBackDistrictFen),
      spentFen: n(row.spentFen),
    };
    const problems = programBudgetProblems(figures);
    return {
      totalFen: figures.totalFen,
      committedFen: figures.committedFen,
      committed: { cityFen: n(row.committedCityFen), districtFen: figures.committedFen - n(row.committedCityFen) },
      spentFen: figures.spentFen,
      spent: { cityFen: n(row.spentCityFen), districtFen: figures.spentFen - n(row.spentCityFen) },
      returnedFen: figures.returnedFen,
      returned: { cityFen: figures.handedBackCityFen, districtFen: figures.handedBackDistrictFen },
      returns: row.handedBackCount,
      availableFen: availableOf(figures),
      balanced: problems.length === 0,
      problems,
    };
  }
}
