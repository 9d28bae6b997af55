/**
 * The month partitions (docs/partitions.md; the SQL functions are the PartitionedHistory
 * migration's). $1 the parent table, $2 the first month (YYYY-MM-01), $3 the number of months
 * after it: makes each month's partition that is missing, moving in any rows of that month
 * that waited in the DEFAULT partition; returns how many it made.
 */
export const ENSURE_MONTHS = `SELECT ensure_month_partitions($1::regclass, $2::date, ($2::date + make_interval(months => $3::int))::date) AS made`;

/** $1 the parent table, $2 the month (YYYY-MM-01): detached into the archive schema; its new name back. */
export const ARCHIVE_MONTH = `SELECT archive_month_partition($1::regclass, $2::date) AS archived`;

/** Redemptions of the month $1 (YYYY-MM-01) not yet tied to a settlement line: such a month is not archived. */
export const UNSETTLED_IN_MONTH = `
  SELECT count(*)::int AS unsettled FROM redemptions
   WHERE business_date >= $1::date AND business_date < ($1::date + interval '1 month')::date AND settlement_line_id IS NULL`;

/** Rows waiting in each DEFAULT partition: none, while the months ahead are made in time. */
export const DEFAULT_PARTITION_ROWS = `
  SELECT (SELECT count(*) FROM redemptions_default)::int AS redemptions,
         (SELECT count(*) FROM ledger_entries_default)::int AS ledger_entries,
         (SELECT count(*) FROM audit_log_default)::int AS audit_log`;

/**
 * $1 a campaign's id: its partition of vouchers, vouchers_c<id>, made if missing (the
 * PartitionedVouchers migration's SQL function), its vouchers waiting in DEFAULT moved in;
 * $2 how long to wait for a lock at most (null: as the session does). Returns whether it was
 * made, and whether the campaign has its partition now.
 */
export const ENSURE_CAMPAIGN_PARTITION = `
  SELECT made, to_regclass(format('vouchers_c%s', $1::bigint)) IS NOT NULL AS present
    FROM ensure_campaign_partition($1::bigint, $2::interval) AS made`;

/**
 * The campaigns without their partition of vouchers (made by SQL, or a creation that could not
 * wait): made, each waiting $1 at most for a lock (null: as the session does); how many.
 */
export const ENSURE_CAMPAIGN_PARTITIONS = `
  SELECT count(*) FILTER (WHERE ensure_campaign_partition(c.id, $1::interval))::int AS made
    FROM campaigns c WHERE to_regclass(format('vouchers_c%s', c.id)) IS NULL`;

/** How long the transaction's statements wait for a lock at most ($1, e.g. '2000ms'); past it they fail with lock_not_available. */
export const LOCK_WAIT = `SELECT set_config('lock_timeout', $1, true)`;

/**
 * The campaign an archive of its vouchers' partition (vouchers_c<id>) is asked for, by public id
 * ($1), its row locked against a change of status until the archive commits.
 */
export const CAMPAIGN_TO_ARCHIVE = `SELECT c.id::text AS id, c.status FROM campaigns c WHERE c.public_id = $1 FOR UPDATE OF c`;

/** Locks campaign $1's partition of vouchers; false when it has none attached. */
export const LOCK_CAMPAIGN_PARTITION = `SELECT lock_campaign_partition($1::bigint) AS locked`;

/** Detaches campaign $1's partition of vouchers into the archive schema: its name there. */
export const ARCHIVE_CAMPAIGN_PARTITION = `SELECT archive_campaign_partition($1::bigint) AS archived`;

/**
 * What keeps campaign $1's vouchers from the archive, read once its partition is locked: vouchers
 * still claimed, or expired but not yet counted by an expiry run (a refund marks them so), and
 * redemptions of its vouchers, in any month, not yet settled.
 */
export const CAMPAIGN_STILL_OPEN = `
  SELECT (SELECT count(*) FROM vouchers v
           WHERE v.campaign_id = $1::bigint AND (v.status = 'claimed' OR (v.status = 'expired' AND v.expiry_run_id IS NULL)))::int AS vouchers,
         (SELECT count(*) FROM voucher_keys k JOIN redemptions r ON r.voucher_id = k.voucher_id
           WHERE k.campaign_id = $1::bigint AND r.settlement_line_id IS NULL)::int AS unsettled`;
