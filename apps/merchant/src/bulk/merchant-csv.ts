/**
 * The registry's CSV shape, shared by the import and the export: these columns, in this
 * order, as the header line. In an export, bank_account_number holds the masked form.
 */
export const MERCHANT_CSV_COLUMNS = [
  'credit_code',
  'registered_name',
  'shop_name',
  'district',
  'category',
  'address',
  'latitude',
  'longitude',
  'contact_phone',
  'bank_account_name',
  'bank_name',
  'bank_account_number',
] as const;

export const MERCHANT_CSV_HEADER = MERCHANT_CSV_COLUMNS.join(',');
