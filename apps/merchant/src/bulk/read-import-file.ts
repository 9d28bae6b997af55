import { AppError } from '@vouchers/common';
import { CsvError, parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { ImportErrorCode } from './import-errors';
import { ImportTally } from './import-report';
import { ImportSpool } from './import-spool';
import { MERCHANT_CSV_COLUMNS, MERCHANT_CSV_HEADER } from './merchant-csv';
import { isRowProblem, RowChecker } from './row-checker';
import { Utf8Guard } from './utf8-guard';

export const MAX_IMPORT_ROWS = 200_000;
/** Generous for 200,000 rows (~300 bytes each); the stream is refused (413) past it. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** One record's most bytes: a stray opening quote must not swallow the rest of the file into memory. */
const MAX_RECORD_BYTES = 64 * 1024;

export interface ReadOptions {
  /** The district of a district official; null for a city-wide one. */
  scope: string | null;
  tally: ImportTally;
  spool: ImportSpool;
}

/**
 * The first pass over an upload: checks the file as a whole (UTF-8, CSV syntax, header,
 * row count) while checking each row, counting and reporting rejected rows and parking the
 * valid ones in the spool. Throws a 4xx AppError when the file is refused whole; memory
 * stays bounded by one chunk, one record and the set of credit codes seen.
 */
export async function readImportFile(body: Readable, { scope, tally, spool }: ReadOptions): Promise<void> {
  const guard = new Utf8Guard(MAX_IMPORT_BYTES);
  // Blank lines come through as records and are skipped below, so that every physical line
  // is counted here: the parser's own `info` would say where a record ends, but costs two
  // objects a record (a third of the parsing time and of the heap growth on a big file).
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  body.on('error', (error) => parser.destroy(error));
  guard.on('error', (error) => parser.destroy(error));
  body.pipe(guard).pipe(parser);
  const checker = new RowChecker(scope);
  let sawHeader = false;
  let lastLine = 0;
  let blank = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = lastLine + 1;
      // A quoted cell may span lines; the next record starts after them.
      lastLine = line + record.reduce((breaks, cell) => breaks + countLineBreaks(cell), 0);
      if (record.every((cell) => cell.trim() === '')) {
        // Blank lines, and rows of empty cells a spreadsheet leaves at the end, are no rows;
        // but a file of nothing else is no reason to spin for minutes.
        if (++blank > MAX_IMPORT_ROWS) throw tooLarge();
        continue;
      }
      if (!sawHeader) {
        checkHeader(record);
        sawHeader = true;
        continue;
      }
      tally.rows += 1;
      if (tally.rows > MAX_IMPORT_ROWS) throw tooLarge();
      const checked = checker.check(record, line);
      if (isRowProblem(checked)) {
        tally.reject(line, record[0] ?? '', checked);
        continue;
      }
      const behind = spool.write(checked);
      if (behind) await behind;
    }
  } catch (error) {
    throw error instanceof CsvError ? badCsv(error) : error;
  } finally {
    // Refused early: stop feeding the parser and let the rest of the upload drain away, so
    // the answer can go out on a healthy connection.
    body.unpipe(guard);
    body.resume();
  }
  if (!sawHeader) throw new AppError(ImportErrorCode.Empty, 'The file is empty');
  if (tally.rows === 0) throw new AppError(ImportErrorCode.Empty, 'The file has a header but no rows');
  await spool.finish();
}

function tooLarge(): AppError {
  return new AppError(ImportErrorCode.TooLarge, `The file has more than ${MAX_IMPORT_ROWS} rows; split it`, { maxRows: MAX_IMPORT_ROWS });
}

function checkHeader(cells: string[]): void {
  const trimmed = cells.map((cell) => cell.trim());
  if (trimmed.length !== MERCHANT_CSV_COLUMNS.length || trimmed.some((cell, i) => cell !== MERCHANT_CSV_COLUMNS[i])) {
    throw new AppError(ImportErrorCode.BadHeader, `The first line must be exactly: ${MERCHANT_CSV_HEADER}`, {
      expected: MERCHANT_CSV_HEADER,
      found: trimmed.join(',').slice(0, 500),
    });
  }
}

function countLineBreaks(cell: string): number {
  let count = 0;
  for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) count += 1;
  return count;
}

function badCsv(error: CsvError): AppError {
  const { lines } = error as CsvError & { lines?: number };
  return new AppError(ImportErrorCode.BadCsv, `The file is not well-formed CSV near line ${lines ?? '?'}: ${error.message.slice(0, 200)}`, {
    line: lines ?? null,
    reason: error.code,
  });
}
