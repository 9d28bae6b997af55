import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ImportReport, ImportTally } from './import-report';
import { ImportSpool } from './import-spool';
import { MerchantBatchWriter } from './merchant-batch-writer';
import { readImportFile } from './read-import-file';

/** Rows per upsert: big enough to amortise the round trips, small enough to hold locks briefly. */
export const IMPORT_BATCH_ROWS = 1_000;

/**
 * An official's bulk load of the registry from CSV, in two passes. The first reads and
 * checks the whole upload (a malformed file is refused before anything is written) and
 * parks the valid rows in an encrypted spool; the second upserts them in batches, each
 * its own transaction, each followed by the eligibility index. One audit entry carries the
 * counts, also when a batch fails half-way (then marked incomplete).
 */
@Injectable()
export class ImportMerchants {
  private readonly logger = new Logger(ImportMerchants.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(MerchantBatchWriter) private readonly writer: MerchantBatchWriter,
  ) {}

  async execute(official: AuthUser, body: unknown, requestId: string | null): Promise<ImportReport> {
    if (!(body instanceof Readable)) {
      throw new AppError(CommonErrorCode.UnsupportedMediaType, 'Send the file itself as the body, with Content-Type: text/csv');
    }
    const scope = official.district ?? null;
    const tally = new ImportTally();
    const spool = await ImportSpool.create();
    try {
      await readImportFile(body, { scope, tally, spool });
      try {
        for await (const batch of spool.batches(IMPORT_BATCH_ROWS)) await this.writer.write(batch, scope, tally);
      } catch (error) {
        await this.audit(official, tally, false, requestId).catch((auditError: unknown) =>
          this.logger.error({ err: auditError, requestId }, 'audit of a failed import not recorded'),
        );
        throw error;
      }
      await this.audit(official, tally, true, requestId);
      return tally.report();
    } finally {
      await spool.dispose();
    }
  }

  private async audit(official: AuthUser, tally: ImportTally, completed: boolean, requestId: string | null): Promise<void> {
    await this.db.transaction((manager) =>
      recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'merchant.import',
        targetType: 'merchant_registry',
        targetId: official.district ?? 'city',
        detail: { ...tally.counts(), completed },
        requestId,
      }),
    );
  }
}
