import { Inject, Injectable, Logger } from '@nestjs/common';
import { maskBankAccount, newPublicId, openBankAccount, sealBankAccount } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Merchant } from '@vouchers/database';
import { EligibilityEntry, EligibilityIndex, holdEligibilityWrites, MerchantStatus } from '@vouchers/eligibility';
import { DataSource } from 'typeorm';
import { ImportTally } from './import-report';
import { BANK_CHANGES_PENDING, LOCK_BATCH_MERCHANTS, UPSERT_MERCHANT_BATCH } from './merchant-batch.sql';
import { MerchantRow } from './merchant-row';
import { bankChangePending, outOfScope } from './row-checker';

/** What the importer compares a file row against: the stored columns, the bank cipher included (LOCK_BATCH_MERCHANTS). */
type StoredMerchant = Pick<
  Merchant,
  | 'creditCode'
  | 'publicId'
  | 'registeredName'
  | 'shopName'
  | 'district'
  | 'category'
  | 'address'
  | 'latitude'
  | 'longitude'
  | 'contactPhone'
  | 'bankAccountName'
  | 'bankName'
  | 'bankAccountCipher'
  | 'bankAccountMasked'
  | 'status'
> & { bankChangePending: boolean };

/** A row that will be inserted or will change an existing merchant. */
interface Change {
  row: MerchantRow;
  publicId: string;
  cipher: string | null;
  masked: string | null;
  stored: StoredMerchant | null;
}

interface Plan {
  outOfScope: MerchantRow[];
  /** Rows giving another account to a merchant whose own change of account awaits review. */
  bankChangePending: MerchantRow[];
  unchanged: number;
  changes: Change[];
}

/** A merchant the upsert wrote (UPSERT_MERCHANT_BATCH's RETURNING). */
type Written = Pick<Merchant, 'creditCode' | 'publicId' | 'status' | 'district' | 'category'>;

/**
 * Writes one batch of valid rows in one transaction: a multi-row upsert by credit code.
 * New merchants come in approved (an official's load of vetted merchants); existing ones
 * get their fields and keep their status. A row identical to the stored merchant is not
 * written at all, so importing the same file twice changes nothing, updated_at included.
 *
 * "Identical" covers the bank account: its cipher has a random IV, so the stored one is
 * opened and compared with the number in the file, and kept when they agree. (A keyed hash
 * of the number beside the cipher would avoid the decryption, at the cost of a column and a
 * second secret-derived value to rotate; opening ~2,000 AES-GCM ciphers costs ~10 ms.)
 */
@Injectable()
export class MerchantBatchWriter {
  private readonly logger = new Logger(MerchantBatchWriter.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(EligibilityIndex) private readonly eligibility: EligibilityIndex,
  ) {}

  async write(batch: MerchantRow[], scope: string | null, tally: ImportTally): Promise<void> {
    // Locks are taken in credit-code order, so two imports sharing merchants cannot deadlock.
    const rows = [...batch].sort((a, b) => (a.creditCode < b.creditCode ? -1 : 1));
    const { plan, written } = await this.db.transaction(async (manager) => {
      await holdEligibilityWrites(manager);
      const codes = rows.map((row) => row.creditCode);
      const locked: Array<Omit<StoredMerchant, 'bankChangePending'>> = await manager.query(LOCK_BATCH_MERCHANTS, [codes]);
      const pending = new Set(((await manager.query(BANK_CHANGES_PENDING, [codes])) as Array<{ creditCode: string }>).map((row) => row.creditCode));
      const stored: StoredMerchant[] = locked.map((merchant) => ({ ...merchant, bankChangePending: pending.has(merchant.creditCode) }));
      const plan = this.plan(rows, stored, scope);
      if (plan.changes.length === 0) return { plan, written: [] as Written[] };
      await this.withdrawMoving(plan.changes);
      const changes = plan.changes;
      const written: Written[] = await manager.query(UPSERT_MERCHANT_BATCH, [
        changes.map((c) => c.publicId),
        changes.map((c) => c.row.creditCode),
        changes.map((c) => c.row.registeredName),
        changes.map((c) => c.row.shopName),
        changes.map((c) => c.row.district),
        changes.map((c) => c.row.category),
        changes.map((c) => c.row.address),
        changes.map((c) => c.row.latitude),
        changes.map((c) => c.row.longitude),
        changes.map((c) => c.row.contactPhone),
        changes.map((c) => c.row.bankAccountName),
        changes.map((c) => c.row.bankName),
        changes.map((c) => c.cipher),
        changes.map((c) => c.masked),
        scope,
      ]);
      return { plan, written };
    });

    for (const row of plan.outOfScope) {
      // Worded exactly as a row naming another district: nothing says the code is registered elsewhere.
      tally.reject(row.line, row.creditCode, outOfScope(scope as string));
    }
    for (const row of plan.bankChangePending) tally.reject(row.line, row.creditCode, bankChangePending());
    const byCode = new Map(plan.changes.map((change) => [change.row.creditCode, change]));
    const entries: EligibilityEntry[] = [];
    for (const merchant of written) {
      const change = byCode.get(merchant.creditCode);
      if (change !== undefined && change.stored === null && change.publicId === merchant.publicId) tally.accepted += 1;
      else tally.updated += 1;
      // The index holds status, district and category; an import changes only the last two.
      const previous = change?.stored;
      if (!previous || previous.district !== merchant.district || previous.category !== merchant.category) {
        entries.push({ merchantId: merchant.publicId, status: merchant.status as MerchantStatus, district: merchant.district, category: merchant.category });
      }
    }
    // Sent but not written: someone else made the row identical (or moved it out of scope) meanwhile.
    tally.unchanged += plan.unchanged + plan.changes.length - written.length;
    // After the commit: the index may call a merchant approved only once Postgres does. The batch
    // is committed whatever Redis says: an index not written is rebuilt (as EligibilitySync does).
    try {
      await this.eligibility.putMany(entries);
    } catch (error) {
      this.logger.error({ err: error, merchants: entries.length }, 'eligibility index not updated after an import; asking for a rebuild');
      await this.eligibility.askRebuild();
    }
  }

  /** Sorts the batch's rows into out of scope, unchanged, and changes to write (with their bank columns). */
  private plan(rows: MerchantRow[], stored: StoredMerchant[], scope: string | null): Plan {
    const byCode = new Map(stored.map((merchant) => [merchant.creditCode, merchant]));
    const plan: Plan = { outOfScope: [], bankChangePending: [], unchanged: 0, changes: [] };
    for (const given of rows) {
      const current = byCode.get(given.creditCode) ?? null;
      // Blank bank cells for a merchant with an account on file keep that account: the file says nothing about it, and
      // writing the blanks left settlement nothing to pay to. An account is changed by giving one, removed by no import.
      const keepAccount = current !== null && given.bankAccountNumber === null && current.bankAccountCipher !== null;
      const row = keepAccount ? { ...given, bankAccountName: current.bankAccountName, bankName: current.bankName } : given;
      // A district official may not reach into another district, not even to move a merchant into their own.
      if (current && scope !== null && current.district !== scope) {
        plan.outOfScope.push(row);
        continue;
      }
      const bank = keepAccount
        ? { cipher: current.bankAccountCipher, masked: current.bankAccountMasked }
        : this.bankColumns(row.bankAccountNumber, current?.bankAccountCipher ?? null);
      // The merchant asked for another account and a reviewer has not decided: an account from the
      // file would be overwritten by that decision, or be the "from" of a change it never saw.
      if (current?.bankChangePending && !sameBank(current, row, bank)) plan.bankChangePending.push(row);
      else if (current && sameFields(current, row, bank)) plan.unchanged += 1;
      else plan.changes.push({ row, publicId: current?.publicId ?? newPublicId(), ...bank, stored: current });
    }
    return plan;
  }

  /**
   * An approved merchant moving to another district or category stops being eligible in the
   * old scope. Like any move away from approved, the index learns it BEFORE Postgres: marked
   * suspended now, its real entry written after the commit. If the commit fails, the index is
   * stricter than Postgres (until the next write or rebuild), never looser.
   */
  private async withdrawMoving(changes: Change[]): Promise<void> {
    const withdrawn: EligibilityEntry[] = [];
    for (const { row, stored } of changes) {
      if (stored?.status === 'approved' && (stored.district !== row.district || stored.category !== row.category)) {
        withdrawn.push({ merchantId: stored.publicId, status: 'suspended', district: stored.district, category: stored.category });
      }
    }
    await this.eligibility.putMany(withdrawn);
  }

  /** The stored cipher when it already holds this number, else a new one; a key that no longer opens it counts as a change. */
  private bankColumns(number: string | null, storedCipher: string | null): { cipher: string | null; masked: string | null } {
    if (number === null) return { cipher: null, masked: null };
    const masked = maskBankAccount(number);
    if (storedCipher !== null) {
      try {
        if (openBankAccount(storedCipher, this.config.bankAccountKey) === number) return { cipher: storedCipher, masked };
      } catch {
        // sealed under another key, or damaged: re-seal below
      }
    }
    return { cipher: sealBankAccount(number, this.config.bankAccountKey), masked };
  }
}

function sameBank(stored: StoredMerchant, row: MerchantRow, bank: { cipher: string | null; masked: string | null }): boolean {
  return (
    stored.bankAccountName === row.bankAccountName &&
    stored.bankName === row.bankName &&
    stored.bankAccountCipher === bank.cipher &&
    stored.bankAccountMasked === bank.masked
  );
}

function sameFields(stored: StoredMerchant, row: MerchantRow, bank: { cipher: string | null; masked: string | null }): boolean {
  return (
    stored.registeredName === row.registeredName &&
    stored.shopName === row.shopName &&
    stored.district === row.district &&
    stored.category === row.category &&
    stored.address === row.address &&
    stored.latitude === row.latitude &&
    stored.longitude === row.longitude &&
    stored.contactPhone === row.contactPhone &&
    sameBank(stored, row, bank)
  );
}
