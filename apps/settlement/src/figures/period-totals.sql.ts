/**
 * The additive totals of closed periods (figures_period_totals), stored by PeriodTotals beside
 * their distinct party counts, so a read of a closed day, week or month reads a few rows by key
 * rather than grouping its days' figures_days rows. Periods are passed as arrays: $1 kinds
 * (text[]), $2 first days (date[]), and for the insert $3 last days (date[]).
 */
import { measureColumns, MEASURE_SUMS, PERIOD_DIMENSION, PERIOD_GROUPINGS, STORED_KEY } from './party-counts.fragments';

/**
 * Waits for every transaction whose expiry trigger wrote figures_days (it holds this lock
 * shared), and keeps new ones waiting until the store commits: totals summed after it see every
 * expiry not marking their period stale after them.
 */
export const LOCK_TOTALS = `SELECT pg_advisory_xact_lock(hashtext('figures_period_totals'))`;

/** Which of the given periods ($1 kinds, $2 starts) are closed with their totals stale (or never stored); the caller stores those. */
export const STALE_PERIODS = `
  SELECT period, to_char(period_start, 'YYYY-MM-DD') AS start, to_char(period_end, 'YYYY-MM-DD') AS end
    FROM figures_party_periods
   WHERE closed AND totals_stale AND (period, period_start) IN (SELECT * FROM unnest($1::text[], $2::date[]))`;

/** Marks the closed and stale ones among the given periods stored, under LOCK_TOTALS; answers them, to store. */
export const MARK_TOTALS_STORED = `
  UPDATE figures_party_periods SET totals_stale = false
   WHERE closed AND totals_stale AND (period, period_start) IN (SELECT * FROM unnest($1::text[], $2::date[]))
  RETURNING period, to_char(period_start, 'YYYY-MM-DD') AS start, to_char(period_end, 'YYYY-MM-DD') AS end`;

export const DELETE_PERIOD_TOTALS = `
  DELETE FROM figures_period_totals WHERE (period, period_start) IN (SELECT * FROM unnest($1::text[], $2::date[]))`;

/**
 * Sums each period's days ($1 kinds, $2 first days, $3 last days) of figures_days by every
 * grouping of a whole period. Written in key order, so a read of one period's rows (or of the
 * daily series' day rows) finds them on a few pages rather than one page each.
 */
export const INSERT_PERIOD_TOTALS = `
  INSERT INTO figures_period_totals (period, period_start, dimension, district, campaign_id, voucher_type_id, category, ${measureColumns()})
  SELECT p.period, p.period_start, ${PERIOD_DIMENSION}, ${STORED_KEY}, ${MEASURE_SUMS}
    FROM unnest($1::text[], $2::date[], $3::date[]) AS p(period, period_start, period_end)
    JOIN figures_days f ON f.day BETWEEN p.period_start AND p.period_end
   GROUP BY p.period, p.period_start, ${PERIOD_GROUPINGS}
   ORDER BY 1, 2, 3, 4, 5, 6, 7`;
