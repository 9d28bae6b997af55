import { RowProblem } from './merchant-row';

/** The report lists at most this many rejected rows; `rejected` counts them all. */
export const MAX_REPORTED_ERRORS = 10_000;

export interface RowError extends RowProblem {
  /** 1-based line of the file; the header is line 1. */
  line: number;
  /** As given in the file (trimmed, cut to 32 characters), so the official can find the row. */
  creditCode: string;
}

export interface ImportReport {
  /** Data rows in the file (the header and blank lines not counted). */
  rows: number;
  /** New merchants inserted, approved. */
  accepted: number;
  /** Existing merchants whose fields changed (their status is left as it was). */
  updated: number;
  /** Existing merchants already exactly as in the file: nothing written. */
  unchanged: number;
  rejected: number;
  /** The first MAX_REPORTED_ERRORS rejected rows, by line. */
  errors: RowError[];
}

/** Counts an import as it goes; rows = accepted + updated + unchanged + rejected once it is done. */
export class ImportTally {
  rows = 0;
  accepted = 0;
  updated = 0;
  unchanged = 0;
  rejected = 0;
  private readonly errors: RowError[] = [];

  reject(line: number, creditCode: string, problem: RowProblem): void {
    this.rejected += 1;
    if (this.errors.length < MAX_REPORTED_ERRORS) {
      this.errors.push({ line, creditCode: creditCode.trim().slice(0, 32), code: problem.code, message: problem.message });
    }
  }

  counts(): Omit<ImportReport, 'errors'> {
    const { rows, accepted, updated, unchanged, rejected } = this;
    return { rows, accepted, updated, unchanged, rejected };
  }

  /** Rows are rejected while reading and again while writing (scope of existing merchants): sort by line. */
  report(): ImportReport {
    return { ...this.counts(), errors: [...this.errors].sort((a, b) => a.line - b.line) };
  }
}
