/** The settlement queue and every job it carries; the processor must handle each name. */
export const SETTLEMENT_QUEUE = 'settlement';

export enum SettlementJob {
  /** Re-checks invariant 6: every ledger posting's debits equal its credits. */
  CheckLedgerBalance = 'check-ledger-balance',
}

export type CheckLedgerBalancePayload = Record<string, never>;
