/**
 * The rules that keep the budget figures adding up once value returns to the pool (回流). Pure:
 * a return checks them in its transaction (and rolls back when one fails), the program budget's
 * read shows them, and unit tests reach them without a database.
 */

/** One campaign's figures (CAMPAIGN_BUDGET_FIGURES), fen. */
export interface CampaignBudgetFigures {
  budgetFen: number;
  /** The campaign's counter of budget handed back to the program. */
  returnedFen: number;
  /** The sum of its program_budget returns. */
  handedBackFen: number;
  /** Face value of its vouchers the budget still covers (not expired-and-returned). */
  liveFen: number;
}

/** The program's figures, fen. */
export interface ProgramBudgetFigures {
  totalFen: number;
  committedFen: number;
  returnedFen: number;
  handedBackFen: number;
  handedBackCityFen: number;
  handedBackDistrictFen: number;
  spentFen: number;
}

/** What is wrong with a campaign's figures (nothing: an empty list). */
export function campaignBudgetProblems(figures: CampaignBudgetFigures): string[] {
  const problems: string[] = [];
  if (figures.returnedFen !== figures.handedBackFen) {
    problems.push(`the campaign counts ${figures.returnedFen} fen handed back, its returns ${figures.handedBackFen}`);
  }
  if (figures.liveFen > figures.budgetFen) {
    problems.push(`its live vouchers' face value ${figures.liveFen} passes its budget ${figures.budgetFen}`);
  }
  return problems;
}

/** What the program's available budget is: the total less what campaigns hold now. */
export const availableOf = (figures: Pick<ProgramBudgetFigures, 'totalFen' | 'committedFen'>): number => figures.totalFen - figures.committedFen;

/**
 * What is wrong with the program's figures: committed + available = total with nothing
 * negative; what campaigns count as handed back equals the program_budget returns, whose city
 * and district parts add up to them; spent stays within committed.
 */
export function programBudgetProblems(figures: ProgramBudgetFigures): string[] {
  const problems: string[] = [];
  const available = availableOf(figures);
  if (available < 0) problems.push(`committed ${figures.committedFen} passes the total ${figures.totalFen}`);
  if (figures.committedFen + available !== figures.totalFen) problems.push('committed and available do not add up to the total');
  if (figures.returnedFen !== figures.handedBackFen) {
    problems.push(`campaigns count ${figures.returnedFen} fen handed back, the returns ${figures.handedBackFen}`);
  }
  if (figures.handedBackCityFen + figures.handedBackDistrictFen !== figures.handedBackFen) {
    problems.push("the returns' city and district parts do not add up to them");
  }
  if (figures.spentFen > figures.committedFen) problems.push(`spent ${figures.spentFen} passes committed ${figures.committedFen}`);
  return problems;
}
