// What the merchant app answers to officials (apps/merchant/src/registry, review, bulk), as the page reads it.
export const MERCHANT_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;

export interface MerchantSummary {
  id: string;
  creditCode: string;
  shopName: string;
  district: string;
  category: string;
  status: string;
  bankAccountMasked: string | null;
}

export interface MaskedAccount {
  bankAccountName: string | null;
  bankName: string | null;
  bankAccountMasked: string | null;
}

/** The name as written, less what does not make it another name: spaces, and full-width brackets written half-width. */
function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

/** Whether an account's holder is someone other than the licence's name (an account without a holder is not judged). */
export function holderDiffers(holder: string | null, licenceName: string): boolean {
  return holder !== null && holder.trim() !== '' && nameKey(holder) !== nameKey(licenceName);
}

export type ChangeStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** A merchant's request for a new bank account (bank-account-change.view.ts). */
export interface BankAccountChange {
  id: string;
  status: ChangeStatus;
  requested: MaskedAccount;
  requestedBy: string;
  requestedAt: string;
}

/** One step of a merchant's review (merchant-record.view.ts): its registration, or an official's decision. */
export interface ReviewStep {
  step: 'submitted' | 'approved' | 'rejected' | 'suspended';
  from: string | null;
  to: string;
  reason: string | null;
  by: string;
  byName: string | null;
  byRole: string;
  at: string;
}

/** GET /v1/merchants/:id: the registry entry, its review history and its bank account changes. */
export interface MerchantRecord extends MaskedAccount {
  id: string;
  creditCode: string;
  registeredName: string;
  shopName: string;
  district: string;
  category: string;
  address: string;
  contactPhone: string | null;
  status: string;
  createdAt: string;
  /** Sent back with a decision: a merchant changed since is refused (409 MERCHANT_CHANGED). */
  updatedAt: string;
  pendingBankAccountChange: BankAccountChange | null;
  reviewHistory: ReviewStep[];
  bankAccountChanges: Array<BankAccountChange & { decidedByName: string | null; decidedAt: string | null; reason: string | null }>;
}

/** GET /v1/merchants/bank-account-changes: a change beside the merchant's current account. */
export interface BankAccountChangeReview extends BankAccountChange {
  merchant: { id: string; creditCode: string; shopName: string; registeredName: string; district: string; status: string };
  current: MaskedAccount;
}

export interface RowError {
  line: number;
  creditCode: string;
  code: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
}

/** The import's columns (merchant-csv.ts), for the help text. */
export const MERCHANT_CSV_HEADER =
  'credit_code,registered_name,shop_name,district,category,address,latitude,longitude,contact_phone,bank_account_name,bank_name,bank_account_number';

/** The decisions open from each status (merchant-states.ts): pending → approved | rejected, approved → suspended, suspended → approved. */
export const DECISIONS_FROM: Record<string, Array<'approved' | 'rejected' | 'suspended'>> = {
  pending: ['approved', 'rejected'],
  approved: ['suspended'],
  suspended: ['approved'],
  rejected: [],
};
