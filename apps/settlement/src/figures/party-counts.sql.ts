/**
 * Distinct party counts of whole periods (figures_party_periods, figures_party_counts): residents
 * and merchants who redeemed, each counted once per grouping of a period. Stored for a closed
 * period once, and for an open day (today) again when a read finds them a few seconds old, so a
 * read of a day, a week or a month reads a few hundred stored rows, never the period's parties.
 */
import { PERIOD_DIMENSION, PERIOD_GROUPINGS, STORED_KEY } from './party-counts.fragments';

/** Serialises the counting of one period ($1 kind, $2 start) across processes; the lock ends with the transaction. */
export const LOCK_PERIOD = `SELECT pg_advisory_xact_lock(hashtext('figures_party_counts'), hashtext($1 || ':' || $2))`;

/** The same lock, not waited for: answers "locked" false when another process is counting the period. */
export const TRY_LOCK_PERIOD = `SELECT pg_try_advisory_xact_lock(hashtext('figures_party_counts'), hashtext($1 || ':' || $2)) AS locked`;

/** The stored state of one period ($1 kind, $2 start): closed, and the age of its counts in milliseconds. */
export const PERIOD_STATE = `
  SELECT closed, (extract(epoch FROM clock_timestamp() - computed_at) * 1000)::float8 AS age_ms
    FROM figures_party_periods WHERE period = $1 AND period_start = $2::date`;

/** The closed periods of kind $1 among starts $2 (text[]): which are stored already. */
export const CLOSED_PERIODS = `
  SELECT to_char(period_start, 'YYYY-MM-DD') AS start FROM figures_party_periods
   WHERE period = $1 AND period_start = ANY($2::date[]) AND closed`;

/**
 * Whether period $1 from $2 to $3 and each of its days are stored closed: how many of those
 * 1 + days are, and of them how many have their additive totals stored and current.
 */
export const CLOSED_WITH_DAYS = `
  SELECT count(*)::int AS closed, (count(*) FILTER (WHERE NOT totals_stale))::int AS stored FROM figures_party_periods
   WHERE closed AND ((period = $1 AND period_start = $2::date) OR ($1 <> 'day' AND period = 'day' AND period_start BETWEEN $2::date AND $3::date))`;

/** The counting transaction's sort memory ($1, e.g. '256MB'): the period's distinct counts sort in memory. */
export const SET_COUNT_WORK_MEM = `SELECT set_config('work_mem', $1::text, true)`;

export const DELETE_PERIOD_COUNTS = `DELETE FROM figures_party_counts WHERE period = $1 AND period_start = $2::date`;

/** Counts period $1 starting $2, over business days $2..$3, from the parties the till's trigger keeps. */
export const INSERT_PERIOD_COUNTS = `
  INSERT INTO figures_party_counts (period, period_start, dimension, district, campaign_id, voucher_type_id, category, residents, merchants)
  SELECT $1, $2::date, ${PERIOD_DIMENSION}, ${STORED_KEY},
         count(DISTINCT party_id) FILTER (WHERE kind = 'r'), count(DISTINCT party_id) FILTER (WHERE kind = 'm')
    FROM figures_parties
   WHERE day BETWEEN $2::date AND $3::date
   GROUP BY ${PERIOD_GROUPINGS}
  HAVING count(*) > 0`;

/** Marks period $1 ($2..$3) counted: closed ($4) or an open day's counts as of now. */
export const MARK_PERIOD = `
  INSERT INTO figures_party_periods (period, period_start, period_end, closed, computed_at)
  VALUES ($1, $2::date, $3::date, $4, clock_timestamp())
  ON CONFLICT (period, period_start) DO UPDATE SET period_end = EXCLUDED.period_end, closed = EXCLUDED.closed, computed_at = EXCLUDED.computed_at`;
