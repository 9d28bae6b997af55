import { EntityManager } from 'typeorm';
import { HOLD_DAY_EXCLUSIVE, HOLD_DAY_SHARED } from './settlement-lock.sql';

/** First key of the advisory locks on a business day's settlement; the second is the day. */
const SETTLEMENT_DAY_LOCK = 720_361;

/**
 * A refund of a redemption of `businessDate` takes this lock exclusively before it reads the
 * redemption; each chunk of a settlement build of that day takes it shared (so chunks run side
 * by side). So a refund either commits before a chunk reads the day (the chunk sees it) or reads
 * the redemption after the chunk tied it to a line (the refund sees it settled and makes a
 * clawback): never a line that pays a subsidy the refund has already reversed. Refunds of one
 * day queue behind each other for a few milliseconds each; during that day's build, behind it.
 */
export async function holdDayForRefund(manager: EntityManager, businessDate: string): Promise<void> {
  await manager.query(HOLD_DAY_EXCLUSIVE, [SETTLEMENT_DAY_LOCK, businessDate]);
}

export async function holdDayForSettlement(manager: EntityManager, businessDate: string): Promise<void> {
  await manager.query(HOLD_DAY_SHARED, [SETTLEMENT_DAY_LOCK, businessDate]);
}
