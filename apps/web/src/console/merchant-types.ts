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
