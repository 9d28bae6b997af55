import { EntrantsFileView } from './lottery.views';

/** The header of the list's facts, the first block of the CSV; the verify script reads the same names. */
export const ENTRANTS_CSV_FACTS = ['round_id', 'commitment', 'salt', 'count', 'digest', 'frozen_at'] as const;

/**
 * The frozen list as CSV: a block of its facts (header row, one row), an empty line, then a
 * block of the entry hashes (header `entry_hash`, one per row, sorted). Every value is hex, a
 * UUID, a number or a timestamp: nothing needs quoting.
 */
export function entrantsCsv(file: EntrantsFileView): string {
  const facts = [file.roundId, file.commitment, file.salt, String(file.count), file.digest, file.frozenAt];
  return [ENTRANTS_CSV_FACTS.join(','), facts.join(','), '', 'entry_hash', ...file.entrants].map((line) => `${line}\n`).join('');
}
