import { reportCsv } from './reconciliation-csv';
import { ReconciliationReport, SubsidyFigures } from './reconciliation.report';

const figures: SubsidyFigures = { redemptions: 1, orderAmountFen: 8000, discountFen: 1001, reversedFen: 0, netFen: 1001, cityNetFen: 500, districtNetFen: 501 };
const lines = { lines: 0, redemptions: 0, amountFen: 0, grossFen: 0, carriedFen: 0, clawbackFen: 0, cityFen: 0, districtFen: 0 };
const check = { count: 0, differences: [], truncated: false };

function report(campaignName: string): ReconciliationReport {
  return {
    from: '2026-11-20',
    to: '2026-11-21',
    batch: null,
    generatedAt: '2026-11-22T01:00:00.000Z',
    vouchers: { claimed: { count: 2, faceValueFen: 2002 }, expired: { count: 0, faceValueFen: 0 }, byCampaign: [] },
    redemptions: { count: 1, orderAmountFen: 8000, discountFen: 1001, cityFen: 500, districtFen: 501 },
    refunds: { count: 0, refundAmountFen: 0, discountReversedFen: 0, cityFen: 0, districtFen: 0, clawbacks: { count: 0, amountFen: 0 } },
    subsidy: {
      total: figures,
      byCampaign: [{ campaignId: 'c1', campaignName, ...figures }],
      byDistrict: [],
      byCategory: [],
      byFundingSource: [],
    },
    settlement: { batches: [], payableFen: 0, pendingFen: 0, heldFen: 0, paidFen: 0, failedFen: 0, clawedBackFen: 0, lines, byStatus: [] },
    checks: {
      postings: check,
      redemptions: {
        count: 1,
        truncated: false,
        differences: [{ kind: 'payable_credit', refType: 'redemption', refId: 'r1', postingId: null, expected: 1008, actual: 1001, unit: 'fen' }],
      },
      refunds: check,
      settlementLines: check,
      payments: check,
    },
    mismatches: 1,
  };
}

describe('the reconciliation CSV', () => {
  it('writes one block per section, each under its header, the section name in column one', () => {
    const text = reportCsv(report('=HYPERLINK("x"), 满40减10'));
    expect(text.startsWith('\ufeffsection,from,to,')).toBe(true);
    const blocks = text.slice(1).split('\r\n\r\n');
    expect(blocks).toHaveLength(11);
    for (const block of blocks) {
      const rows = block.split('\r\n').filter((row) => row !== '');
      expect(rows[0].startsWith('section,')).toBe(true);
      const name = rows[1]?.split(',')[0];
      for (const row of rows.slice(1)) expect(row.split(',')[0]).toBe(name);
    }
    expect(text).toContain('report,2026-11-20,2026-11-21,,,2026-11-22T01:00:00.000Z,1\r\n');
    expect(text).toContain('redemptions,1,8000,1001,500,501\r\n');
    expect(text).toContain(`subsidy,campaign,c1,"'=HYPERLINK(""x""), 满40减10",1,8000,1001,0,1001,500,501\r\n`);
    expect(text).toContain('checks,redemptions,1,1\r\n');
    expect(text).toContain('differences,redemptions,payable_credit,redemption,r1,,1008,1001,fen\r\n');
  });
});
