import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { csvLine, inertText } from '@vouchers/common';
import { Merchant, recordAudit } from '@vouchers/database';
import { Readable } from 'node:stream';
import { DataSource, FindOptionsSelect, MoreThan } from 'typeorm';
import { MERCHANT_CSV_HEADER } from './merchant-csv';

/** Rows per keyset query: memory holds one chunk, whatever the registry's size. */
const EXPORT_CHUNK_ROWS = 2_000;

/** The import's columns (the bank account masked), and the id the chunks are keyed on. */
const EXPORTED = {
  id: true,
  creditCode: true,
  registeredName: true,
  shopName: true,
  district: true,
  category: true,
  address: true,
  latitude: true,
  longitude: true,
  contactPhone: true,
  bankAccountName: true,
  bankName: true,
  bankAccountMasked: true,
} as const satisfies FindOptionsSelect<Merchant>;

type ExportRow = Pick<Merchant, keyof typeof EXPORTED>;

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
      const rows: ExportRow[] = await this.db.manager.find(Merchant, {
        select: EXPORTED,
        where: { id: MoreThan(after), ...(district !== null ? { district } : {}) },
        order: { id: 'ASC' },
        take: EXPORT_CHUNK_ROWS,
      });
      if (rows.length === 0) return;
      yield rows.map(toLine).join('');
      after = rows[rows.length - 1].id;
    }
  }
}

function toLine(row: ExportRow): string {
  return csvLine([
    row.creditCode,
    inertText(row.registeredName),
    inertText(row.shopName),
    row.district,
    row.category,
    inertText(row.address),
    row.latitude,
    row.longitude,
    row.contactPhone,
    inertText(row.bankAccountName),
    inertText(row.bankName),
    row.bankAccountMasked,
  ]);
}
