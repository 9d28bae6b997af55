// What the settlement app answers (apps/settlement/src/batches, payouts, reconciliation), as the pages read it.
export interface BatchSummary {
  id: string;
  businessDate: string;
  status: string;
  lineCount: number;
  totalFen: number;
}

export interface Batch extends BatchSummary {
  progress: { chunksDone: number; chunkCount: number };
  redemptionCount: number;
  paidFen: number;
  failedFen: number;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  adjustedBy: string | null;
  adjustedByName: string | null;
  builtAt: string | null;
}

export interface Line {
  id: string;
  merchantId: string;
  shopName: string;
  creditCode: string | null;
  redemptionCount: number;
  grossFen: number;
  carriedFen: number;
  clawbackFen: number;
  amountFen: number;
  status: string;
  failureReason: string | null;
  bankAccountMasked: string | null;
}

export interface BatchEvent {
  action: string;
  from: string | null;
  to: string | null;
  by: string;
  byName: string | null;
  byRole: string;
  at: string;
}

export interface Difference {
  kind: string;
  refType: string;
  refId: string;
  expected: number | null;
  actual: number | null;
  unit: 'fen' | 'count';
}

export interface CheckResult {
  count: number;
  differences: Difference[];
  truncated: boolean;
}

export const CHECK_NAMES = ['postings', 'redemptions', 'refunds', 'settlementLines', 'payments'] as const;

export interface Reconciliation {
  from: string;
  to: string;
  generatedAt: string;
  mismatches: number;
  checks: Record<(typeof CHECK_NAMES)[number], CheckResult>;
}

export interface BankResultsReport {
  batchId: string;
  status: string;
  rows: number;
  paid: number;
  failed: number;
  unchanged: number;
  paidFen: number;
}

export const BATCH_STATUSES = ['building', 'pending_approval', 'submitted', 'approved', 'paying', 'paid', 'partly_failed'] as const;
export const LINE_STATUSES = ['pending', 'held', 'paid', 'failed'] as const;

/** What a finance official may do to a batch in each status. */
export function movesOf(status: string): Array<'submit' | 'approve' | 'reopen'> {
  if (status === 'pending_approval') return ['submit'];
  if (status === 'submitted') return ['approve', 'reopen'];
  if (status === 'approved') return ['reopen'];
  return [];
}
