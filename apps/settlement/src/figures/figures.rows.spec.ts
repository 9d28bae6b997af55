import { figuresOf, TotalsRow } from './figures.rows';

const totals = (values: Partial<TotalsRow>): TotalsRow =>
  ({ offered: '0', claimed: '0', claimed_fen: '0', redeemed: '0', order_amount_fen: '0', discount_fen: '0', city_fen: '0', district_fen: '0',
     refunded: '0', refund_amount_fen: '0', reversed_fen: '0', reversed_city_fen: '0', reversed_district_fen: '0', expired: '0', expired_fen: '0',
     ...values }) as TotalsRow;

describe('figures derived from the running totals', () => {
  it('nets refunds out of consumption and subsidy, and divides them for leverage and the redemption rate', () => {
    const figures = figuresOf(
      totals({ claimed: '7', redeemed: '4', order_amount_fen: '48000', refund_amount_fen: '15000', discount_fen: '8002', reversed_fen: '3000',
               city_fen: '4000', reversed_city_fen: '1500', district_fen: '4002', reversed_district_fen: '1500' }),
      undefined,
    );
    expect(figures).toMatchObject({ consumptionFen: 33000, subsidyFen: 5002, citySubsidyFen: 2500, districtSubsidyFen: 2502, leverage: 6.6, redemptionRate: 0.5714 });
  });

  it('has no leverage without subsidy and no rate without claims', () => {
    expect(figuresOf(totals({ redeemed: '1', order_amount_fen: '5000' }), undefined)).toMatchObject({ leverage: null, redemptionRate: null });
  });
});
