// What the till reads from the APIs (the apps' views, amounts in integer fen).
export interface Redemption {
  redemptionId: string;
  voucherId: string;
  merchantOrderNo: string;
  orderAmountFen: number;
  discountFen: number;
  payableFen: number;
  status: 'completed' | 'partly_refunded' | 'reversed' | 'refunded';
  redeemedAt: string;
  businessDate: string;
}

export interface Refund {
  refundId: string;
  redemptionId: string;
  merchantRefundNo: string;
  refundAmountFen: number;
  customerRefundFen: number;
  discountReversedFen: number;
  clawback: boolean;
  refundedAt: string;
  businessDate: string;
}

export interface DayTotals {
  date: string;
  redemptions: { count: number; orderAmountFen: number; discountFen: number };
  refunds: { count: number; refundAmountFen: number; customerRefundFen: number; discountReversedFen: number; clawbackFen: number };
  netSubsidyFen: number;
}

export interface StaffMember {
  id: string;
  name: string;
  phone: string;
  role: 'merchant_admin' | 'merchant_staff';
  active: boolean;
  createdAt: string;
  disabledAt: string | null;
}

export interface SignedInMerchant {
  id: string;
  shopName: string;
  status: string;
}

export interface StaffSession {
  accessToken: string;
  refreshToken: string;
  staff: StaffMember;
  merchant: SignedInMerchant;
}

/** A new bank account an approved shop asked for, awaiting an official's review; the number masked. */
export interface BankAccountChange {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  requested: { bankAccountName: string | null; bankName: string | null; bankAccountMasked: string | null };
  requestedBy: string;
  requestedAt: string;
}

export interface MerchantProfile {
  id: string;
  creditCode: string;
  registeredName: string;
  shopName: string;
  district: string;
  category: string;
  address: string;
  contactPhone: string | null;
  bankAccountName: string | null;
  bankName: string | null;
  bankAccountMasked: string | null;
  /** Payouts go to the account above until an official approves this one. */
  pendingBankAccountChange: BankAccountChange | null;
  status: 'pending' | 'approved' | 'rejected' | 'suspended';
  /** Rejected or suspended: the official's reason. */
  decisionReason?: string | null;
  /** The latest new account an official approved or rejected, and why. */
  lastBankAccountDecision?: (BankAccountChange & { decidedAt: string; reason: string }) | null;
  createdAt: string;
  updatedAt: string;
}

export interface Statement {
  lineId: string;
  batchId: string;
  businessDate: string;
  batchStatus: string;
  paidAt: string | null;
  redemptionCount: number;
  grossFen: number;
  carriedFen: number;
  clawbackFen: number;
  amountFen: number;
  cityFen: number;
  districtFen: number;
  status: string;
  failureReason: string | null;
  carriedForward: boolean;
  bankAccountMasked: string | null;
}

export interface DayStatement {
  businessDate: string;
  settlement: Statement | null;
  unsettled: { redemptionCount: number; subsidyFen: number };
}
