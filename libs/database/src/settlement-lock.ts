import { EntityManager } from 'typeorm';

/** First key of the advisory locks on a business day's settlement; the second is the day. */
const SETTLEMENT_DAY_LOCK = 720_361;

const dayNumber = `($2::date - DATE '2000-01-01')`;

/**
 * A refund of a redemption of `businessDate` takes this (shared) before it reads the
 * redemption; a settlement build of that day takes it exclusively. So a refund either
 * commits before the build reads the day (the build sees it) or reads the redemption after
 * the build tied it to a line (the refund sees it settled and makes a clawback): never a
 * line that pays a subsidy the refund has already reversed.
 */
export async function holdDayForRefund(manager: EntityManager, businessDate: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock_shared($1, ${dayNumber})`, [SETTLEMENT_DAY_LOCK, businessDate]);
}

export async function holdDayForSettlement(manager: EntityManager, businessDate: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock($1, ${dayNumber})`, [SETTLEMENT_DAY_LOCK, businessDate]);
}
