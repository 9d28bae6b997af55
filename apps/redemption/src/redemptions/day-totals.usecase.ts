import { Inject, Injectable } from '@nestjs/common';
import { fenFromColumn } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { DAY_TOTALS } from './day-totals.sql';
import { DayTotalsView } from './day-totals.view';

interface DayTotalsRow {
  redemption_count: number;
  order_amount_fen: string;
  discount_fen: string;
  refund_count: number;
  refund_amount_fen: string;
  customer_refund_fen: string;
  discount_reversed_fen: string;
  clawback_fen: string;
  net_subsidy_fen: string;
}

const fen = (value: string): number => fenFromColumn(value) ?? 0;

@Injectable()
export class DayTotals {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(merchantId: string, date: string): Promise<DayTotalsView> {
    const [row]: DayTotalsRow[] = await this.db.query(DAY_TOTALS, [merchantId, date]);
    return {
      date,
      redemptions: {
        count: row.redemption_count,
        orderAmountFen: fen(row.order_amount_fen),
        discountFen: fen(row.discount_fen),
      },
      refunds: {
        count: row.refund_count,
        refundAmountFen: fen(row.refund_amount_fen),
        customerRefundFen: fen(row.customer_refund_fen),
        discountReversedFen: fen(row.discount_reversed_fen),
        clawbackFen: fen(row.clawback_fen),
      },
      netSubsidyFen: fen(row.net_subsidy_fen),
    };
  }
}
