import { FiguresView } from './figures.view';

/** The figures of a league table's files, in order, with their headers: one list for the CSV and the XLSX. */
export const FIGURE_COLUMNS: ReadonlyArray<{ key: keyof FiguresView; header: string }> = [
  { key: 'offered', header: 'offered 投放' },
  { key: 'claimed', header: 'claimed 领取' },
  { key: 'claimedFen', header: 'claimed_fen 领取面额(分)' },
  { key: 'redeemed', header: 'redeemed 核销' },
  { key: 'refunded', header: 'refunded 退款' },
  { key: 'expired', header: 'expired 过期' },
  { key: 'orderAmountFen', header: 'order_amount_fen 订单金额(分)' },
  { key: 'refundAmountFen', header: 'refund_amount_fen 退款金额(分)' },
  { key: 'consumptionFen', header: 'consumption_fen 拉动消费(分)' },
  { key: 'subsidyFen', header: 'subsidy_fen 补贴(分)' },
  { key: 'citySubsidyFen', header: 'city_subsidy_fen 市级(分)' },
  { key: 'districtSubsidyFen', header: 'district_subsidy_fen 区级(分)' },
  { key: 'leverage', header: 'leverage 拉动比' },
  { key: 'redemptionRate', header: 'redemption_rate 核销率' },
  { key: 'merchants', header: 'merchants 参与商户' },
  { key: 'residents', header: 'residents 参与居民' },
];

export const TARGET_HEADERS = ['target_consumption_fen 消费目标(分)', 'target_subsidy_fen 补贴目标(分)', 'target_redeemed 核销目标', 'consumption_attainment 完成率'];

export const figureCells = (figures: FiguresView): Array<number | null> => FIGURE_COLUMNS.map(({ key }) => figures[key]);
