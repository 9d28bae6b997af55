/** building → pending_approval → submitted (复核) → approved (审批) → paying → paid / partly_failed (DESIGN §7). */
export type BatchStatus = 'building' | 'pending_approval' | 'submitted' | 'approved' | 'paying' | 'paid' | 'partly_failed';

/**
 * The moves officials make. The others: building → pending_approval is the worker's; the first
 * payout-file download moves approved → paying (straight to paid when nothing is left to pay);
 * paying → paid / partly_failed is the bank result file's.
 */
export const OFFICIAL_MOVES = {
  submit: { from: ['pending_approval'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  reopen: { from: ['submitted', 'approved'], to: 'pending_approval' },
} as const satisfies Record<string, { from: readonly BatchStatus[]; to: BatchStatus }>;

export type OfficialMove = keyof typeof OFFICIAL_MOVES;

export function canMove(move: OfficialMove, from: string): boolean {
  return (OFFICIAL_MOVES[move].from as readonly string[]).includes(from);
}
