import { AppError, CommonErrorCode, isPublicId } from '@vouchers/common';
import { CsvError, parse } from 'csv-parse';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { RESULT_CSV_COLUMNS, RESULT_CSV_HEADER } from './payout-csv';
import { PayoutErrorCode, ResultRowErrorCode } from './payout-errors';

/**
 * A result file has a row per line of the payout file (~100 bytes each, a long reason 600):
 * this is room for far more lines than a day's batch has. Fastify refuses more (413).
 */
export const MAX_RESULTS_BYTES = 32 * 1024 * 1024;
/** settlement_lines.failure_reason is varchar(200): characters, not bytes. */
export const MAX_REASON_CHARS = 200;
/** An answer lists at most this many problems; problemCount counts them all. */
export const MAX_REPORTED_PROBLEMS = 1_000;
/** One record's most bytes: a stray opening quote must not swallow the rest of the file. */
const MAX_RECORD_BYTES = 64 * 1024;

export type BankResult = 'paid' | 'failed';

export interface ResultRow {
  /** 1-based line of the file where the row starts; the header is line 1. */
  line: number;
  /** Lower-cased public id of the settlement line. */
  lineId: string;
  result: BankResult;
  /** Trimmed; only for failed rows (a reason given with paid is ignored). */
  reason: string | null;
}

export interface RowProblem {
  line: number;
  /** As given in the file (trimmed, cut to 40 characters), so the official can find the row. */
  lineId: string;
  code: ResultRowErrorCode;
  message: string;
}

export interface ResultsFile {
  rows: ResultRow[];
  /** Rows wrong in themselves; rows naming lines that are not this batch's are found later, against the database. */
  problems: RowProblem[];
  /** Of the bytes as uploaded, for the audit log: which file was applied. */
  sha256: string;
}

/**
 * The upload's bytes, read from the raw request stream (see ResultsBodyParser) up to
 * MAX_RESULTS_BYTES. Past the limit it answers 413 and lets the rest of the upload drain
 * away unread, so the answer goes out on a healthy connection.
 */
export function readUpload(body: unknown): Promise<Buffer> {
  if (!(body instanceof Readable)) {
    return Promise.reject(
      new AppError(CommonErrorCode.UnsupportedMediaType, 'Send the bank result file itself as the body, with Content-Type: text/csv'),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_RESULTS_BYTES) {
        chunks.push(chunk);
        return;
      }
      body.off('data', onData);
      body.off('end', onEnd);
      body.resume();
      reject(new AppError(CommonErrorCode.PayloadTooLarge, `The file is larger than ${MAX_RESULTS_BYTES / 1024 / 1024} MB`));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', reject);
  });
}

/**
 * Reads a bank result file (UTF-8 CSV, header `line_id,result,reason`) and checks every row
 * in itself. Throws a 400 AppError when the file cannot be read as a whole; returns the
 * problems of single rows for the caller to report together with those it finds in the
 * database, so that one answer lists everything wrong with the file.
 */
export async function readResultsFile(body: Buffer): Promise<ResultsFile> {
  const sha256 = createHash('sha256').update(body).digest('hex');
  let text: string;
  try {
    // fatal: an invalid sequence throws instead of becoming U+FFFD; a leading BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError(PayoutErrorCode.ResultsNotUtf8, 'The file is not UTF-8 text; save it as "CSV UTF-8" and send it again');
  }
  const records = await parseCsv(text);
  const rows: ResultRow[] = [];
  const problems: RowProblem[] = [];
  const firstLineOf = new Map<string, number>();
  let sawHeader = false;
  let lastLine = 0;
  for (const record of records) {
    const line = lastLine + 1;
    // A quoted cell may span lines; the next record starts after them.
    lastLine = line + record.reduce((breaks, cell) => breaks + countLineBreaks(cell), 0);
    if (record.every((cell) => cell.trim() === '')) continue;
    if (!sawHeader) {
      checkHeader(record);
      sawHeader = true;
      continue;
    }
    const checked = checkRow(record, line, firstLineOf);
    if ('code' in checked) problems.push(checked);
    else rows.push(checked);
  }
  if (!sawHeader) throw new AppError(PayoutErrorCode.ResultsEmpty, 'The file is empty');
  if (rows.length === 0 && problems.length === 0) {
    throw new AppError(PayoutErrorCode.ResultsEmpty, 'The file has a header but no rows');
  }
  return { rows, problems, sha256 };
}

function checkRow(record: string[], line: number, firstLineOf: Map<string, number>): ResultRow | RowProblem {
  const given = (record[0] ?? '').trim();
  const problem = (code: ResultRowErrorCode, message: string): RowProblem => ({ line, lineId: given.slice(0, 40), code, message });
  if (record.length !== RESULT_CSV_COLUMNS.length) {
    return problem(ResultRowErrorCode.WrongColumnCount, `The row has ${record.length} fields; it must have ${RESULT_CSV_COLUMNS.length}: ${RESULT_CSV_HEADER}`);
  }
  const lineId = given.toLowerCase();
  if (!isPublicId(lineId)) return problem(ResultRowErrorCode.BadLineId, 'line_id must be the line id from the payout file');
  const first = firstLineOf.get(lineId);
  if (first !== undefined) return problem(ResultRowErrorCode.DuplicateInFile, `This line is already given on line ${first}`);
  firstLineOf.set(lineId, line);
  const result = record[1].trim().toLowerCase();
  if (result !== 'paid' && result !== 'failed') return problem(ResultRowErrorCode.BadResult, 'result must be paid or failed');
  if (result === 'paid') return { line, lineId, result, reason: null };
  const reason = record[2].trim();
  if (reason === '') return problem(ResultRowErrorCode.ReasonRequired, 'A failed payment needs the reason the bank gave');
  if ([...reason].length > MAX_REASON_CHARS) return problem(ResultRowErrorCode.ReasonTooLong, `reason is longer than ${MAX_REASON_CHARS} characters`);
  if (reason.includes('\u0000')) return problem(ResultRowErrorCode.ReasonNotText, 'reason may not hold the NUL character (U+0000)');
  return { line, lineId, result, reason };
}

function checkHeader(cells: string[]): void {
  const trimmed = cells.map((cell) => cell.trim());
  if (trimmed.length !== RESULT_CSV_COLUMNS.length || trimmed.some((cell, i) => cell !== RESULT_CSV_COLUMNS[i])) {
    throw new AppError(PayoutErrorCode.ResultsBadHeader, `The first line must be exactly: ${RESULT_CSV_HEADER}`, {
      expected: RESULT_CSV_HEADER,
      found: trimmed.join(',').slice(0, 200),
    });
  }
}

function parseCsv(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    parse(
      text,
      { record_delimiter: ['\r\n', '\n'], relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_BYTES },
      (error: CsvError | undefined, records: string[][] | undefined) => {
        if (!error) {
          resolve(records ?? []);
          return;
        }
        const { lines } = error as CsvError & { lines?: number };
        reject(
          new AppError(PayoutErrorCode.ResultsBadCsv, `The file is not well-formed CSV near line ${lines ?? '?'}: ${error.message.slice(0, 200)}`, {
            line: lines ?? null,
            reason: error.code,
          }),
        );
      },
    );
  });
}

function countLineBreaks(cell: string): number {
  let count = 0;
  for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) count += 1;
  return count;
}
