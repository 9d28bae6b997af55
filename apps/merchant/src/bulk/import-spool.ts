import { Cipher, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { MerchantRow } from './merchant-row';

/** Rows are written to disk in pieces of about this many characters. */
const WRITE_CHARS = 64 * 1024;

/** A row is written as a JSON array of these fields, not an object repeating its keys. */
const FIELDS = [
  'line',
  'creditCode',
  'registeredName',
  'shopName',
  'district',
  'category',
  'address',
  'latitude',
  'longitude',
  'contactPhone',
  'bankAccountName',
  'bankName',
  'bankAccountNumber',
] as const satisfies ReadonlyArray<keyof MerchantRow>;

const toLine = (row: MerchantRow): string => JSON.stringify(FIELDS.map((field) => row[field]));

function fromLine(line: string): MerchantRow {
  const values = JSON.parse(line) as unknown[];
  const row: Record<string, unknown> = {};
  FIELDS.forEach((field, i) => (row[field] = values[i]));
  return row as unknown as MerchantRow;
}

/**
 * The valid rows of an import, parked on local disk between reading the file and writing
 * them: a file is refused whole if any part of it is malformed, which is known only at its
 * end, so nothing may be written before then, and 200,000 rows do not belong in memory.
 * The rows hold bank account numbers in clear, so the file is encrypted (AES-256-CTR) with a
 * key that lives only in this object: once the process is gone, so is any way to read it.
 */
export class ImportSpool {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(16);
  private readonly cipher: Cipher;
  private readonly file: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;

  private constructor(private readonly dir: string) {
    this.cipher = createCipheriv('aes-256-ctr', this.key, this.iv);
    this.file = createWriteStream(this.path, { mode: 0o600 });
    this.cipher.pipe(this.file);
  }

  static async create(): Promise<ImportSpool> {
    return new ImportSpool(await mkdtemp(join(tmpdir(), 'merchant-import-')));
  }

  private get path(): string {
    return join(this.dir, 'rows');
  }

  /**
   * Parks a row. Rows are gathered into ~64 KB writes (a write per row costs more than the
   * row); the promise, when there is one, says the disk is behind: wait for it before the next.
   */
  write(row: MerchantRow): Promise<void> | null {
    this.pending.push(toLine(row));
    this.pendingChars += this.pending[this.pending.length - 1].length;
    if (this.pendingChars < WRITE_CHARS) return null;
    return this.flush() ? null : once(this.cipher, 'drain').then(() => undefined);
  }

  async finish(): Promise<void> {
    this.flush();
    this.cipher.end();
    await finished(this.file);
  }

  private flush(): boolean {
    if (this.pending.length === 0) return true;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingChars = 0;
    return this.cipher.write(text);
  }

  /** The rows in file order, `size` at a time; call after finish(). */
  async *batches(size: number): AsyncGenerator<MerchantRow[]> {
    const file = createReadStream(this.path);
    const plain = createDecipheriv('aes-256-ctr', this.key, this.iv);
    file.on('error', (error) => plain.destroy(error));
    file.pipe(plain);
    let batch: MerchantRow[] = [];
    try {
      for await (const line of createInterface({ input: plain, crlfDelay: Infinity })) {
        batch.push(fromLine(line));
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      // The reader may stop early (a batch failed): close the file either way.
      file.destroy();
      plain.destroy();
    }
  }

  async dispose(): Promise<void> {
    this.cipher.destroy();
    this.file.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
