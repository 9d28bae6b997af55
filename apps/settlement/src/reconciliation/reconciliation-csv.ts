import { csvLine, inertText } from '@vouchers/common';
import { CHECK_NAMES, LineFigures, ReconciliationReport, SubsidyFigures } from './reconciliation.report';

/**
 * The report as CSV: one block per section, blocks separated by an empty line. Each block
 * starts with its header row; the first column of every row, header included, is the
 * section's name (`section` in the header), so a block can be picked out with a filter on
 * column one. Money is integer fen (columns ending in _fen), as in the JSON. Sections, in order:
 *
 *   report            from, to, batch, generated_at, mismatches
 *   vouchers          claimed | expired: count, face value
 *   vouchers_by_campaign
 *   redemptions, refunds
 *   subsidy           dimension total | campaign | district | category, then key and name
 *   funding           city | district | district:<d>: rows against ledger
 *   batches, settlement_lines (all, then per status)
 *   checks            per check: differences found and listed
 *   differences       every listed difference
 *
 * The file starts with a UTF-8 byte-order mark so spreadsheet programs read Chinese campaign
 * names right; free text that would start a formula is written behind a single quote.
 */
export function reportCsv(report: ReconciliationReport): string {
  const blocks: string[][][] = [
    [
      ['section', 'from', 'to', 'batch_id', 'batch_status', 'generated_at', 'mismatches'],
      ['report', report.from, report.to, report.batch?.id ?? '', report.batch?.status ?? '', report.generatedAt, String(report.mismatches)],
    ],
    [
      ['section', 'metric', 'count', 'face_value_fen'],
      ['vouchers', 'claimed', ...numbers(report.vouchers.claimed.count, report.vouchers.claimed.faceValueFen)],
      ['vouchers', 'expired', ...numbers(report.vouchers.expired.count, report.vouchers.expired.faceValueFen)],
    ],
    [
      ['section', 'campaign_id', 'campaign_name', 'claimed_count', 'claimed_face_value_fen', 'expired_count', 'expired_face_value_fen'],
      ...report.vouchers.byCampaign.map((row) => [
        'vouchers_by_campaign',
        row.campaignId,
        inertText(row.campaignName),
        ...numbers(row.claimed.count, row.claimed.faceValueFen, row.expired.count, row.expired.faceValueFen),
      ]),
    ],
    [
      ['section', 'count', 'order_amount_fen', 'discount_fen', 'city_fen', 'district_fen'],
      [
        'redemptions',
        ...numbers(
          report.redemptions.count,
          report.redemptions.orderAmountFen,
          report.redemptions.discountFen,
          report.redemptions.cityFen,
          report.redemptions.districtFen,
        ),
      ],
    ],
    [
      ['section', 'count', 'refund_amount_fen', 'discount_reversed_fen', 'city_fen', 'district_fen', 'clawback_count', 'clawback_fen'],
      [
        'refunds',
        ...numbers(
          report.refunds.count,
          report.refunds.refundAmountFen,
          report.refunds.discountReversedFen,
          report.refunds.cityFen,
          report.refunds.districtFen,
          report.refunds.clawbacks.count,
          report.refunds.clawbacks.amountFen,
        ),
      ],
    ],
    [
      ['section', 'dimension', 'key', 'name', 'redemptions', 'order_amount_fen', 'discount_fen', 'reversed_fen', 'net_fen', 'city_net_fen', 'district_net_fen'],
      subsidyRow('total', '', '', report.subsidy.total),
      ...report.subsidy.byCampaign.map((row) => subsidyRow('campaign', row.campaignId, inertText(row.campaignName), row)),
      ...report.subsidy.byDistrict.map((row) => subsidyRow('district', row.district, '', row)),
      ...report.subsidy.byCategory.map((row) => subsidyRow('category', row.category, '', row)),
    ],
    [
      ['section', 'source', 'redemptions_fen', 'ledger_debit_fen', 'reversed_fen', 'ledger_credit_fen', 'difference_fen'],
      ...report.subsidy.byFundingSource.map((row) => [
        'funding',
        row.source,
        ...numbers(row.redemptionsFen, row.ledgerDebitFen, row.reversedFen, row.ledgerCreditFen, row.differenceFen),
      ]),
    ],
    [
      ['section', 'batch_id', 'business_date', 'status', 'line_count', 'redemption_count', 'total_fen', 'paid_fen', 'failed_fen'],
      ...report.settlement.batches.map((batch) => [
        'batches',
        batch.id,
        batch.businessDate,
        batch.status,
        ...numbers(batch.lineCount, batch.redemptionCount, batch.totalFen, batch.paidFen, batch.failedFen),
      ]),
    ],
    [
      ['section', 'status', 'lines', 'redemptions', 'amount_fen', 'gross_fen', 'carried_fen', 'clawback_fen', 'city_fen', 'district_fen'],
      lineRow('all', report.settlement.lines),
      ...report.settlement.byStatus.map((row) => lineRow(row.status, row)),
    ],
    [
      ['section', 'check', 'differences', 'listed'],
      ...CHECK_NAMES.map((name) => ['checks', name, ...numbers(report.checks[name].count, report.checks[name].differences.length)]),
    ],
    [
      ['section', 'check', 'kind', 'ref_type', 'ref_id', 'posting_id', 'expected', 'actual', 'unit'],
      ...CHECK_NAMES.flatMap((name) =>
        report.checks[name].differences.map((d) => [
          'differences',
          name,
          d.kind,
          d.refType,
          d.refId,
          d.postingId ?? '',
          d.expected === null ? '' : String(d.expected),
          d.actual === null ? '' : String(d.actual),
          d.unit,
        ]),
      ),
    ],
  ];
  return `\ufeff${blocks.map((block) => block.map(csvLine).join('')).join('\r\n')}`;
}

const numbers = (...values: number[]): string[] => values.map(String);

function subsidyRow(dimension: string, key: string, name: string, row: SubsidyFigures): string[] {
  return [
    'subsidy',
    dimension,
    key,
    name,
    ...numbers(row.redemptions, row.orderAmountFen, row.discountFen, row.reversedFen, row.netFen, row.cityNetFen, row.districtNetFen),
  ];
}

function lineRow(status: string, row: LineFigures): string[] {
  return [
    'settlement_lines',
    status,
    ...numbers(row.lines, row.redemptions, row.amountFen, row.grossFen, row.carriedFen, row.clawbackFen, row.cityFen, row.districtFen),
  ];
}
