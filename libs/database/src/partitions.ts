import { isPublicId } from '@vouchers/common';
import { EntityManager } from 'typeorm';
import { recordAudit } from './audit';
import { ARCHIVE_CAMPAIGN_PARTITION, ARCHIVE_MONTH, CAMPAIGN_STILL_OPEN, CAMPAIGN_TO_ARCHIVE, LOCK_CAMPAIGN_PARTITION, DEFAULT_PARTITION_ROWS, ENSURE_CAMPAIGN_PARTITION, ENSURE_CAMPAIGN_PARTITIONS, ENSURE_MONTHS, LOCK_WAIT, UNSETTLED_IN_MONTH } from './partitions.sql';

/** The tables partitioned by month (docs/partitions.md), each with a DEFAULT partition beside its months. */
export const PARTITIONED_TABLES = ['redemptions', 'ledger_entries', 'audit_log'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Months made ahead of the current one: the daily job may miss a quarter before an insert lands in DEFAULT. */
export const MONTHS_AHEAD = 3;

/** YYYY-MM-01 of the Asia/Shanghai month `offset` months from the one holding `at`. */
export function shanghaiMonth(at: Date, offset = 0): string {
  const shanghai = new Date(at.getTime() + 8 * 3_600_000);
  const month = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() + offset, 1));
  return month.toISOString().slice(0, 10);
}

export interface PartitionsReport {
  /** Partitions made, by table. */
  made: Record<PartitionedTable, number>;
  /** Rows still in each DEFAULT partition after the run (rows of months beyond those made). */
  inDefault: Record<PartitionedTable, number>;
  /** Tables whose months were not made: a lock was not had within the wait (a long reader); the next run makes them. */
  waited: PartitionedTable[];
}

/**
 * How long the daily job waits for a lock before it leaves a partition to its next run. Making one
 * takes the DEFAULT partition's lock, which waits for every transaction reading it (a long export,
 * a pg_dump), and every till and refund that reads the table then queues behind the job: the
 * wait a campaign's creation allows its partition of vouchers (create-campaign), for the same
 * reason. Months are made three ahead, so a day's miss costs nothing.
 */
export const PARTITION_LOCK_WAIT_MS = 2_000;

/** How long an archive of a campaign's vouchers waits for a lock before it gives up (the till and the grab keep going meanwhile). */
const ARCHIVE_LOCK_WAIT_MS = 5_000;

/** A wait in milliseconds as Postgres reads it (lock_timeout, an interval); null stays null: the session's own. */
const pgWait = (ms: number | null): string | null => (ms === null ? null : `${ms}ms`);

/** Postgres' lock_not_available: a lock_timeout ran out. */
const isLockTimeout = (error: unknown) => (error as { code?: unknown } | null)?.code === '55P03';

/**
 * Makes the partitions of last month to MONTHS_AHEAD months ahead that are missing (the
 * settlement worker's daily `ensure-partitions` job). An insert never waits for this: a month
 * without its partition goes to the DEFAULT one, and the next run moves those rows into it.
 */
export async function ensureMonthPartitions(manager: EntityManager, now = new Date(), lockWaitMs: number | null = null): Promise<PartitionsReport> {
  const made = {} as Record<PartitionedTable, number>;
  const waited: PartitionedTable[] = [];
  for (const table of PARTITIONED_TABLES) {
    try {
      made[table] = await manager.transaction(async (tx) => {
        if (lockWaitMs !== null) await tx.query(LOCK_WAIT, [pgWait(lockWaitMs)]);
        const [row] = (await tx.query(ENSURE_MONTHS, [table, shanghaiMonth(now, -1), MONTHS_AHEAD + 1])) as Array<{ made: number }>;
        return row.made;
      });
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      made[table] = 0;
      waited.push(table);
    }
  }
  const [inDefault] = (await manager.query(DEFAULT_PARTITION_ROWS)) as Array<Record<PartitionedTable, number>>;
  return { made, inDefault, waited };
}

export class ArchiveRefused extends Error {}

/** The audit row of an archived partition (`archived`: its name in the archive schema), in the archive's transaction. */
function auditArchive(tx: EntityManager, actor: string, archived: string, detail: Record<string, string>): Promise<void> {
  return recordAudit(tx, { actorId: actor, actorRole: 'operator', action: 'partition.archive', targetType: 'partition', targetId: archived, detail });
}

/** Who archives, in the audit log, when the command does. */
export const ARCHIVE_ACTOR = 'db:partitions';

/**
 * Detaches `table`'s partition of `month` (YYYY-MM or YYYY-MM-01; a month that is over) into
 * the archive schema and returns its name there (archive.<table>_yYYYYmMM), for pg_dump and
 * DROP (docs/partitions.md). A month of redemptions with any not yet settled is refused.
 * Their keys stay in redemption_keys: an order number or public id stays used. Audited (as
 * `actor`, by default the command's name) in the same transaction.
 */
export async function archiveMonthPartition(manager: EntityManager, table: PartitionedTable, month: string, actor = ARCHIVE_ACTOR): Promise<string> {
  if (!(PARTITIONED_TABLES as readonly string[]).includes(table)) throw new ArchiveRefused(`${table} is not partitioned by month`);
  const match = /^(\d{4})-(\d{2})(?:-01)?$/.exec(month);
  if (!match) throw new ArchiveRefused(`month ${month}: expected YYYY-MM`);
  const first = `${match[1]}-${match[2]}-01`;
  return manager.transaction(async (tx) => {
    if (table === 'redemptions') {
      const [{ unsettled }] = (await tx.query(UNSETTLED_IN_MONTH, [first])) as Array<{ unsettled: number }>;
      if (unsettled > 0) throw new ArchiveRefused(`${unsettled} redemptions of ${first.slice(0, 7)} are not settled yet`);
    }
    const [{ archived }] = (await tx.query(ARCHIVE_MONTH, [table, first])) as Array<{ archived: string }>;
    await auditArchive(tx, actor, archived, { table, month: first.slice(0, 7) });
    return archived;
  });
}

/**
 * Detaches an ended campaign's partition of vouchers (vouchers_c<id>) into the archive schema and
 * returns its name there, for pg_dump and DROP (docs/partitions.md). Refused while any of its
 * vouchers can still be redeemed or still waits for an expiry run, or any redemption of them is
 * not settled; the partition is locked before those are counted, so nothing changes them between
 * the count and the detach. Their keys stay in voucher_keys: the redemptions' foreign key and the
 * public ids hold. Audited (as `actor`) in the same transaction.
 */
export async function archiveCampaignPartition(manager: EntityManager, campaignPublicId: string, actor = ARCHIVE_ACTOR): Promise<string> {
  if (!isPublicId(campaignPublicId)) throw new ArchiveRefused(`campaign ${campaignPublicId}: expected its public id`);
  return manager.transaction(async (tx) => {
    await tx.query(LOCK_WAIT, [pgWait(ARCHIVE_LOCK_WAIT_MS)]);
    const [campaign] = (await tx.query(CAMPAIGN_TO_ARCHIVE, [campaignPublicId])) as Array<{ id: string; status: string }>;
    if (!campaign) throw new ArchiveRefused(`no campaign ${campaignPublicId}`);
    if (campaign.status !== 'ended') throw new ArchiveRefused(`campaign ${campaignPublicId} is ${campaign.status}: only an ended campaign is archived`);
    const [{ locked }] = (await tx.query(LOCK_CAMPAIGN_PARTITION, [campaign.id])) as Array<{ locked: boolean }>;
    if (!locked) throw new ArchiveRefused(`campaign ${campaignPublicId} has no partition of vouchers (archived already, or its vouchers wait in DEFAULT)`);
    const [open] = (await tx.query(CAMPAIGN_STILL_OPEN, [campaign.id])) as Array<{ vouchers: number; unsettled: number }>;
    if (open.vouchers > 0) throw new ArchiveRefused(`${open.vouchers} vouchers of campaign ${campaignPublicId} can still be redeemed or wait for an expiry run`);
    if (open.unsettled > 0) throw new ArchiveRefused(`${open.unsettled} redemptions of campaign ${campaignPublicId}'s vouchers are not settled yet`);
    const [{ archived }] = (await tx.query(ARCHIVE_CAMPAIGN_PARTITION, [campaign.id])) as Array<{ archived: string }>;
    await auditArchive(tx, actor, archived, { table: 'vouchers', campaignId: campaignPublicId });
    return archived;
  });
}

/** made: this call made it; present: the campaign has its partition (false: it could not wait for a lock). */
export interface CampaignPartition {
  made: boolean;
  present: boolean;
}

/**
 * Makes campaign `campaignId`'s partition of vouchers if it has none (docs/partitions.md), moving
 * in any of its vouchers that waited in DEFAULT. Called in the transaction that creates the
 * campaign, last, since the attach holds the DEFAULT partition until it commits. `lockWaitMs`:
 * past that wait for a lock, nothing is made (present false) and the vouchers go to DEFAULT until
 * ensureCampaignPartitions (the daily job) makes it.
 */
export async function ensureCampaignPartition(manager: EntityManager, campaignId: string, lockWaitMs: number | null = null): Promise<CampaignPartition> {
  const [row] = (await manager.query(ENSURE_CAMPAIGN_PARTITION, [campaignId, pgWait(lockWaitMs)])) as CampaignPartition[];
  return row;
}

/** The partition of every campaign that has none: how many made (`lockWaitMs` as ensureCampaignPartition's, for each). */
export async function ensureCampaignPartitions(manager: EntityManager, lockWaitMs: number | null = null): Promise<number> {
  const [row] = (await manager.query(ENSURE_CAMPAIGN_PARTITIONS, [pgWait(lockWaitMs)])) as Array<{ made: number }>;
  return row.made;
}
