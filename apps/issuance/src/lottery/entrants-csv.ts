import { csvField } from '@vouchers/common';
import { EntrantsFileView } from './lottery.views';

/**
 * The header of the list's facts, the first block of the CSV; the verify script reads the same names.
 * The public value's source comes last: it is the one free text, so a reader that splits the row
 * at every comma (as files without it were read) still finds the facts before it where they were.
 */
export const ENTRANTS_CSV_FACTS = ['round_id', 'commitment', 'salt', 'count', 'digest', 'frozen_at', 'public_value_source'] as const;

/**
 * The frozen list as CSV: a block of its facts (header row, one row), an empty line, then a
 * block of the entry hashes (header `entry_hash`, one per row, sorted). Every value but the
 * public value's source is hex, a UUID, a number or a timestamp, which never needs quoting
 * (a source holds no line break: the round's fields take no control character).
 */
export function entrantsCsv(file: EntrantsFileView): string {
  const facts = [file.roundId, file.commitment, file.salt, String(file.count), file.digest, file.frozenAt, file.publicValueSource].map(csvField);
  return [ENTRANTS_CSV_FACTS.join(','), facts.join(','), '', 'entry_hash', ...file.entrants].map((line) => `${line}\n`).join('');
}
