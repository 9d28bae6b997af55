import type { MerchantStatus } from '@vouchers/eligibility';

/** A merchant's life (DESIGN §1): registers pending; officials approve or reject, and may suspend and reinstate. */
export const MERCHANT_STATUSES: readonly MerchantStatus[] = ['pending', 'approved', 'rejected', 'suspended'];

/** The statuses an official may decide on; pending is only where a merchant starts. */
export const DECISIONS = ['approved', 'rejected', 'suspended'] as const;
export type Decision = (typeof DECISIONS)[number];

// Rejected is final: a business refused registers again under review, not by a status flip.
const MOVES: Record<MerchantStatus, readonly MerchantStatus[]> = {
  pending: ['approved', 'rejected'],
  approved: ['suspended'],
  suspended: ['approved'],
  rejected: [],
};

export function canDecide(from: MerchantStatus, to: MerchantStatus): boolean {
  return MOVES[from].includes(to);
}
