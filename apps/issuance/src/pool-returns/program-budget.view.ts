import { ApiProperty } from '@nestjs/swagger';
import { Fen } from '@vouchers/common';

/** An amount with its city and district parts (city + district = the amount). */
export class BudgetSplitView {
  @ApiProperty({ type: 'integer', description: "The city's part, in fen" })
  cityFen: Fen;

  @ApiProperty({ type: 'integer', description: "The districts' part, in fen" })
  districtFen: Fen;
}

/** The program's budget and what campaigns did with it, returns to the pool (回流) included. */
export class ProgramBudgetView {
  @ApiProperty({ type: 'integer', example: 100_000_000_000, description: "The program's annual budget, in fen (ANNUAL_BUDGET_FEN)" })
  totalFen: Fen;

  @ApiProperty({ type: 'integer', description: "The campaigns' budgets now, in fen (after the value they handed back)" })
  committedFen: Fen;

  @ApiProperty({ type: BudgetSplitView, description: "committedFen's parts, by each campaign's city share" })
  committed: BudgetSplitView;

  @ApiProperty({ type: 'integer', description: 'Subsidy redeemed at the tills, net of refunds, in fen' })
  spentFen: Fen;

  @ApiProperty({ type: BudgetSplitView })
  spent: BudgetSplitView;

  @ApiProperty({ type: 'integer', description: "Value campaigns handed back to the program by returns to the pool (return policy program_budget), in fen" })
  returnedFen: Fen;

  @ApiProperty({ type: BudgetSplitView, description: "returnedFen's parts, by each campaign's city share when it returned" })
  returned: BudgetSplitView;

  @ApiProperty({ type: 'integer', example: 1, description: 'Returns to the program budget recorded' })
  returns: number;

  @ApiProperty({ type: 'integer', description: 'What new campaigns may still take, in fen: totalFen - committedFen' })
  availableFen: Fen;

  @ApiProperty({ description: 'Whether the figures add up: committed + available = total, returned as the returns say, spent within committed' })
  balanced: boolean;

  @ApiProperty({ type: [String], description: 'What does not add up, when balanced is false' })
  problems: string[];
}
