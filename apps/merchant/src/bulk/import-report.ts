import { ApiProperty } from '@nestjs/swagger';
import { RowProblem } from './merchant-row';

/** The report lists at most this many rejected rows; `rejected` counts them all. */
export const MAX_REPORTED_ERRORS = 10_000;

export class RowError extends RowProblem {
  @ApiProperty({ type: 'integer', example: 2, description: '1-based line of the file; the header is line 1' })
  line: number;

  @ApiProperty({ example: '91330203MA2AB3CD1X', description: 'As given in the file (trimmed, cut to 32 characters), so the official can find the row' })
  creditCode: string;
}

export class ImportReport {
  @ApiProperty({ type: 'integer', example: 1200, description: 'Data rows in the file (the header and blank lines not counted)' })
  rows: number;

  @ApiProperty({ type: 'integer', example: 1100, description: 'New merchants inserted, approved' })
  accepted: number;

  @ApiProperty({ type: 'integer', example: 60, description: 'Existing merchants whose fields changed (their status is left as it was)' })
  updated: number;

  @ApiProperty({ type: 'integer', example: 38, description: 'Existing merchants already exactly as in the file: nothing written' })
  unchanged: number;

  @ApiProperty({ type: 'integer', example: 2 })
  rejected: number;

  @ApiProperty({ type: [RowError], description: `The first ${MAX_REPORTED_ERRORS} rejected rows, by line` })
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
