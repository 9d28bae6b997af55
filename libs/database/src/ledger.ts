import { newPublicId } from '@vouchers/common';
import { EntityManager } from 'typeorm';
import { INSERT_POSTING } from './ledger.sql';

/** The accounts named after a district or a merchant: the prefix, then the district or the merchant's public id. */
const DISTRICT_BUDGET = 'budget:district:';
const MERCHANT_PAYABLE = 'payable:merchant:';
const MERCHANT_CLAWBACK = 'clawback:merchant:';

/**
 * The ledger's accounts (DESIGN §4 invariant 6), the one definition of their names. A redemption
 * moves its subsidy from the funding budgets to what the merchant is owed; settlement moves that
 * to paid-out; a refund after payment makes the merchant owe it back (clawback) until a later
 * batch nets it. Statements that post in SQL take the names (or the prefixes) as parameters.
 */
export const ledgerAccounts = {
  cityBudget: 'budget:city',
  districtBudgetPrefix: DISTRICT_BUDGET,
  districtBudget: (district: string) => `${DISTRICT_BUDGET}${district}`,
  payablePrefix: MERCHANT_PAYABLE,
  payable: (merchantPublicId: string) => `${MERCHANT_PAYABLE}${merchantPublicId}`,
  clawbackPrefix: MERCHANT_CLAWBACK,
  clawback: (merchantPublicId: string) => `${MERCHANT_CLAWBACK}${merchantPublicId}`,
  paidOut: 'paid_out',
} as const;

export interface LedgerLeg {
  account: string;
  debitFen?: number;
  creditFen?: number;
}

export interface Posting {
  refType: string;
  refId: string;
  legs: LedgerLeg[];
}

/**
 * Writes one balanced posting inside the caller's transaction and returns its id. Legs of
 * zero are left out (a 100% city share has no district leg); a posting whose debits and
 * credits differ is refused before anything is written.
 */
export async function postToLedger(manager: EntityManager, posting: Posting): Promise<string> {
  const legs = posting.legs.filter((leg) => (leg.debitFen ?? 0) > 0 || (leg.creditFen ?? 0) > 0);
  const debits = legs.reduce((sum, leg) => sum + (leg.debitFen ?? 0), 0);
  const credits = legs.reduce((sum, leg) => sum + (leg.creditFen ?? 0), 0);
  if (legs.some((leg) => (leg.debitFen ?? 0) > 0 && (leg.creditFen ?? 0) > 0) || debits !== credits || !Number.isSafeInteger(debits)) {
    throw new Error(`unbalanced posting for ${posting.refType} ${posting.refId}: debits ${debits}, credits ${credits}`);
  }
  const postingId = newPublicId();
  if (legs.length === 0) return postingId;
  await manager.query(INSERT_POSTING, [
    postingId,
    legs.map((leg) => leg.account),
    legs.map((leg) => leg.debitFen ?? 0),
    legs.map((leg) => leg.creditFen ?? 0),
    posting.refType,
    posting.refId,
  ]);
  return postingId;
}
