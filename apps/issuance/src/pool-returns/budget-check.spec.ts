import { availableOf, campaignBudgetProblems, programBudgetProblems } from './budget-check';

describe('the budget figures after returns to the pool', () => {
  const program = {
    totalFen: 1_000_000,
    committedFen: 600_000,
    returnedFen: 40_000,
    handedBackFen: 40_000,
    handedBackCityFen: 20_000,
    handedBackDistrictFen: 20_000,
    spentFen: 100_000,
  };

  it('adds up: available is the total less committed, and nothing is wrong', () => {
    expect(availableOf(program)).toBe(400_000);
    expect(programBudgetProblems(program)).toEqual([]);
  });

  it('names each figure that does not add up', () => {
    expect(programBudgetProblems({ ...program, committedFen: 1_000_001 })).toEqual([expect.stringMatching(/passes the total/)]);
    expect(programBudgetProblems({ ...program, returnedFen: 39_999 })).toEqual([expect.stringMatching(/handed back/)]);
    expect(programBudgetProblems({ ...program, handedBackCityFen: 20_001 })).toEqual([expect.stringMatching(/city and district/)]);
    expect(programBudgetProblems({ ...program, spentFen: 600_001 })).toEqual([expect.stringMatching(/spent 600001/)]);
  });

  it("refuses a campaign whose counter and returns disagree, or whose live vouchers pass its budget", () => {
    const campaign = { budgetFen: 10_000, returnedFen: 2_000, handedBackFen: 2_000, liveFen: 10_000 };
    expect(campaignBudgetProblems(campaign)).toEqual([]);
    expect(campaignBudgetProblems({ ...campaign, handedBackFen: 0 })).toHaveLength(1);
    expect(campaignBudgetProblems({ ...campaign, liveFen: 10_001 })).toHaveLength(1);
  });
});
