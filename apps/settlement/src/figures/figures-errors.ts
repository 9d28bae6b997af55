import { errorCatalogue } from '@vouchers/common';

export enum FiguresErrorCode {
  /** A league table's period must start on its first day. */
  InvalidPeriodStart = 'INVALID_PERIOD_START',
  /** Targets are set by city-wide commerce or finance officials only. */
  TargetsCityWideOnly = 'TARGETS_CITY_WIDE_ONLY',
}

export const FIGURES_ERRORS = errorCatalogue<FiguresErrorCode>('figures', {
  [FiguresErrorCode.InvalidPeriodStart]: { status: 400, meaning: 'A week starts on a Monday and a month on its first day (details.expected)' },
  [FiguresErrorCode.TargetsCityWideOnly]: { status: 403, meaning: 'District targets are set by city-wide commerce or finance officials, not by a district’s own' },
});
