import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { csvLine, inertText } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { MerchantRecord } from '../onboarding/merchant.records';
import { MERCHANT_CSV_HEADER } from './merchant-csv';

/** Rows per keyset query: memory holds one chunk, whatever the registry's size. */
const EXPORT_CHUNK_ROWS = 2_000;

type ExportRow = Omit<MerchantRecord, 'public_id' | 'status' | 'created_at' | 'updated_at'> & { id: string };

/**
 * The registry as CSV for officials and auditors, in the import's columns, ordered by the
 * internal id (stable: new merchants come last), streamed in keyset chunks as the client
 * reads. A district official gets their district only.
 *
 * bank_account_number holds the MASKED form (6222 **** **** 0123): the only file that may
 * ever carry full account numbers is the settlement payout file. So an export is not an
 * import file; it cannot overwrite accounts with masks (the import refuses them as
 * BAD_ACCOUNT_NUMBER). The file starts with a UTF-8 byte-order mark so spreadsheet programs
 * read the Chinese names right; the importer skips it.
 */
@Injectable()
export class ExportMerchants {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, requestId: string | null): Promise<Readable> {
    const district = official.district ?? null;
    // Reading the whole registry is recorded, as the official's actions are.
    await this.db.transaction((manager) =>
      recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'merchant.export',
        targetType: 'merchant_registry',
        targetId: district ?? 'city',
        requestId,
      }),
    );
    return Readable.from(this.chunks(district), { objectMode: false });
  }

  private async *chunks(district: string | null): AsyncGenerator<string> {
    yield `\ufeff${MERCHANT_CSV_HEADER}\r\n`;
    let after = '0';
    for (;;) {
      const rows: ExportRow[] = await this.db.query(
        `SELECT id, credit_code, registered_name, shop_name, district, category, address, latitude, longitude,
                contact_phone, bank_account_name, bank_name, bank_account_masked
           FROM merchants
          WHERE id > $1 AND ($2::text IS NULL OR district = $2::text)
          ORDER BY id
          LIMIT $3`,
        [after, district, EXPORT_CHUNK_ROWS],
      );
      if (rows.length === 0) return;
      yield rows.map(toLine).join('');
      after = rows[rows.length - 1].id;
    }
  }
}

function toLine(row: ExportRow): string {
  return csvLine([
    row.credit_code,
    inertText(row.registered_name),
    inertText(row.shop_name),
    row.district,
    row.category,
    inertText(row.address),
    row.latitude,
    row.longitude,
    row.contact_phone,
    inertText(row.bank_account_name),
    inertText(row.bank_name),
    row.bank_account_masked,
  ]);
}
