/**
 * The import's set-based statements: one batch of valid rows (up to IMPORT_BATCH_ROWS) is
 * read and written in one statement each, inside one transaction (MerchantBatchWriter).
 * Columns come back under the Merchant entity's property names.
 */

/**
 * The stored merchants the batch names, locked in credit-code order, so two imports sharing
 * merchants cannot deadlock. The bank cipher is included: the writer opens it to tell whether
 * the number in the file is the one stored.
 *
 * $1 the batch's credit codes.
 */
export const LOCK_BATCH_MERCHANTS = `
  SELECT credit_code AS "creditCode", public_id AS "publicId", registered_name AS "registeredName", shop_name AS "shopName",
         district, category, address, latitude, longitude, contact_phone AS "contactPhone",
         bank_account_name AS "bankAccountName", bank_name AS "bankName", bank_account_cipher AS "bankAccountCipher",
         bank_account_masked AS "bankAccountMasked", status
    FROM merchants
   WHERE credit_code = ANY ($1::bpchar[])
   ORDER BY credit_code
     FOR UPDATE`;

/**
 * Which of the batch's merchants have their own change of bank account awaiting review. Run
 * after LOCK_BATCH_MERCHANTS, as a statement of its own: its snapshot is taken once the row locks
 * are held, so it sees a change that a request committed while the import waited for the lock
 * (a subquery of the locking statement would read the snapshot from before the wait). Whoever
 * asks for or decides a change holds the same row lock, so what it reads stays true until commit.
 *
 * $1 the batch's credit codes.
 */
export const BANK_CHANGES_PENDING = `
  SELECT m.credit_code AS "creditCode"
    FROM merchant_bank_account_changes c JOIN merchants m ON m.id = c.merchant_id
   WHERE m.credit_code = ANY ($1::bpchar[]) AND c.status = 'pending'`;

/**
 * The batch's new and changed merchants in one multi-row upsert by credit code: new ones come
 * in approved, existing ones get the file's fields and keep their status. The WHERE of DO
 * UPDATE repeats the writer's comparison, so a row that became identical meanwhile is not
 * rewritten, and keeps a district official's update within their district even against a
 * concurrent move. RETURNING lists only the rows written.
 *
 * $1 public ids (new, or the stored one), $2 credit codes, $3 registered names, $4 shop names,
 * $5 districts, $6 categories, $7 addresses, $8 latitudes, $9 longitudes, $10 contact phones,
 * $11 bank account names, $12 bank names, $13 bank account ciphers, $14 masked bank accounts
 * (one element per row, in that order); $15 the district official's district, null for a
 * city-wide official.
 */
export const UPSERT_MERCHANT_BATCH = `
  INSERT INTO merchants AS m (public_id, credit_code, registered_name, shop_name, district, category, address, latitude,
                              longitude, contact_phone, bank_account_name, bank_name, bank_account_cipher,
                              bank_account_masked, status)
  SELECT r.public_id, r.credit_code, r.registered_name, r.shop_name, r.district, r.category, r.address, r.latitude,
         r.longitude, r.contact_phone, r.bank_account_name, r.bank_name, r.bank_account_cipher, r.bank_account_masked, 'approved'
    FROM unnest($1::uuid[], $2::bpchar[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[],
                $9::float8[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
         AS r(public_id, credit_code, registered_name, shop_name, district, category, address, latitude,
              longitude, contact_phone, bank_account_name, bank_name, bank_account_cipher, bank_account_masked)
  ON CONFLICT (credit_code) DO UPDATE SET
         registered_name = EXCLUDED.registered_name, shop_name = EXCLUDED.shop_name, district = EXCLUDED.district,
         category = EXCLUDED.category, address = EXCLUDED.address, latitude = EXCLUDED.latitude,
         longitude = EXCLUDED.longitude, contact_phone = EXCLUDED.contact_phone,
         bank_account_name = EXCLUDED.bank_account_name, bank_name = EXCLUDED.bank_name,
         bank_account_cipher = EXCLUDED.bank_account_cipher, bank_account_masked = EXCLUDED.bank_account_masked,
         updated_at = now()
   WHERE (m.registered_name, m.shop_name, m.district, m.category, m.address, m.latitude, m.longitude, m.contact_phone,
          m.bank_account_name, m.bank_name, m.bank_account_cipher, m.bank_account_masked)
         IS DISTINCT FROM
         (EXCLUDED.registered_name, EXCLUDED.shop_name, EXCLUDED.district, EXCLUDED.category, EXCLUDED.address,
          EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.contact_phone, EXCLUDED.bank_account_name, EXCLUDED.bank_name,
          EXCLUDED.bank_account_cipher, EXCLUDED.bank_account_masked)
     AND ($15::text IS NULL OR m.district = $15::text)
  RETURNING m.credit_code AS "creditCode", m.public_id AS "publicId", m.status, m.district, m.category`;
