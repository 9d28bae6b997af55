/** One valid row of an import file, normalised (trimmed; empty optional fields are null). */
export interface MerchantRow {
  /** 1-based line of the file where the row starts; the header is line 1. */
  line: number;
  creditCode: string;
  registeredName: string;
  shopName: string;
  district: string;
  category: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  contactPhone: string | null;
  bankAccountName: string | null;
  bankName: string | null;
  /** Digits only, in clear: sealed before it reaches Postgres, never logged or answered. */
  bankAccountNumber: string | null;
}

/** Why a row is rejected, as reported to the official. */
export interface RowProblem {
  code: string;
  message: string;
}
