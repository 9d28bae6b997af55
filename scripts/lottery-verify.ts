/**
 * Checks a lottery round's draw from its published files alone, with nothing of the platform's
 * code: `npm run lottery:verify -- --entrants entrants.json --results results.json` (the files
 * as GET /v1/rounds/:roundId/lottery/entrants, as JSON or CSV, and /results answer them). Exit 0 when
 *   1. the entrant list's digest is SHA-256 of its salt and sorted hashes, one per line;
 *   2. the results name that digest, and the files name the same round and commitment;
 *   3. SHA-256 of the revealed seed's bytes is the commitment published before sign-up opened;
 *   4. ranking the entrants by SHA-256(seed hex ‖ public value ‖ entry hash) and walking them,
 *      passing over exactly the published skips at their ranks, until the round's quantity,
 *      gives the published winners, rank for rank;
 *   5. where both files name the public value's source, they name the same one.
 * Otherwise it says what did not match and exits 1 (2 for files it cannot read).
 * What no script can check is printed to check by hand: that the public value is the figure
 * its source (publicValueSource, announced with the commitment before sign-up) published.
 * The skips' reasons (a per-person limit) rest on data that is not public; what is checked is
 * that each is one of the entrants, at the rank the draw gave it, before the last winner.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface EntrantsFile {
  roundId: string;
  commitment: string;
  salt: string;
  count: number;
  digest: string;
  entrants: string[];
  /** Absent from lists published before the list carried it. */
  publicValueSource?: string;
}

interface Drawn {
  rank: number;
  entryHash: string;
}

interface ResultsFile {
  roundId: string;
  quantity: number;
  commitment: string;
  seed: string;
  publicValue: string;
  /** Absent from files published before sources were recorded. */
  publicValueSource?: string;
  entrantsDigest: string;
  winners: Drawn[];
  skips: Array<Drawn & { reason: string }>;
}

class Mismatch extends Error {}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function argument(name: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? undefined : process.argv[at + 1];
  if (!value) {
    console.error('usage: lottery-verify --entrants <entrants.json> --results <results.json>');
    process.exit(2);
  }
  return value;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    console.error(`cannot read ${path}: ${(error as Error).message}`);
    process.exit(2);
  }
}

/** A CSV field as RFC 4180 writes it, then the comma after it or the end of the row. */
const CSV_FIELD = /(?:"((?:[^"]|"")*)"|([^,"]*))(,|$)/y;

/**
 * One CSV row's fields: a field in double quotes may hold commas, and a quote as two. (The row
 * is one line: no field of the facts holds a line break.) Null for a row that is not CSV.
 */
function csvFields(row: string): string[] | null {
  const fields: string[] = [];
  CSV_FIELD.lastIndex = 0;
  for (;;) {
    const field = CSV_FIELD.exec(row);
    if (!field) return null;
    fields.push(field[1] === undefined ? field[2] : field[1].replace(/""/g, '"'));
    if (field[3] === '') return fields;
  }
}

/**
 * The entrant list as the platform publishes it, JSON or CSV (?format=csv): a header row of its
 * facts and their row, an empty line, then `entry_hash` and one hash per row. Lists published
 * before the facts named the public value's source (its column, last) are read as before.
 */
function readEntrants(path: string): EntrantsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    console.error(`cannot read ${path}: ${(error as Error).message}`);
    process.exit(2);
  }
  if (!text.startsWith('round_id,')) return readJson<EntrantsFile>(path);
  const lines = text.split(/\r?\n/);
  const names = csvFields(lines[0]);
  const values = csvFields(lines[1] ?? '');
  const start = lines.indexOf('entry_hash');
  if (!names || !values || start === -1) {
    console.error(`${path}: ${start === -1 ? 'no entry_hash block' : 'its facts are not a CSV row'}`);
    process.exit(2);
  }
  const fact = (name: string) => values[names.indexOf(name)] ?? '';
  return {
    roundId: fact('round_id'),
    commitment: fact('commitment'),
    salt: fact('salt'),
    count: Number(fact('count')),
    digest: fact('digest'),
    entrants: lines.slice(start + 1).filter((line) => line !== ''),
    publicValueSource: names.includes('public_value_source') ? fact('public_value_source') : undefined,
  };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Mismatch(message);
}

/** Returns the number of winners checked; throws Mismatch on the first difference. */
function verify(entrants: EntrantsFile, results: ResultsFile): number {
  const lines = [entrants.salt, ...[...entrants.entrants].sort()].map((line) => `${line}\n`).join('');
  check(sha256(lines) === entrants.digest, `the entrant list does not hash to its digest ${entrants.digest}: it was changed after publication`);
  check(entrants.entrants.length === entrants.count, `the entrant list holds ${entrants.entrants.length} hashes, not the ${entrants.count} it states`);
  check(new Set(entrants.entrants).size === entrants.entrants.length, 'the entrant list repeats a hash');
  check(results.roundId === entrants.roundId, `the files are of different rounds (${entrants.roundId}, ${results.roundId})`);
  check(results.entrantsDigest === entrants.digest, `the draw used the list with digest ${results.entrantsDigest}, not this one (${entrants.digest})`);
  check(results.commitment === entrants.commitment, 'the files name different commitments');
  check(sha256(Buffer.from(results.seed, 'hex')) === results.commitment, 'SHA-256 of the revealed seed is not the commitment');
  if (entrants.publicValueSource !== undefined && results.publicValueSource !== undefined) {
    check(
      entrants.publicValueSource === results.publicValueSource,
      `the entrant list names the public value's source "${entrants.publicValueSource}"; the results name "${results.publicValueSource}"`,
    );
  }

  const ranked = entrants.entrants
    .map((hash) => ({ hash, key: sha256(`${results.seed}${results.publicValue}${hash}`) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.hash < b.hash ? -1 : 1));
  const skips = new Map(results.skips.map((skip) => [skip.entryHash, skip]));
  check(skips.size === results.skips.length, 'a skipped entrant is listed twice');
  const expected: Drawn[] = [];
  let walked = 0;
  for (const [i, entrant] of ranked.entries()) {
    if (expected.length === results.quantity) break;
    walked = i + 1;
    const skip = skips.get(entrant.hash);
    if (skip) {
      check(skip.rank === i + 1, `skipped entrant ${entrant.hash} is at rank ${i + 1}, not ${skip.rank}`);
      continue;
    }
    expected.push({ rank: i + 1, entryHash: entrant.hash });
  }
  const reached = new Set(ranked.slice(0, walked).map((entrant) => entrant.hash));
  for (const skip of results.skips) check(reached.has(skip.entryHash), `skipped entrant ${skip.entryHash} was never reached by the draw`);
  check(
    results.winners.length === expected.length,
    `the draw gives ${expected.length} winners; the results list ${results.winners.length}`,
  );
  expected.forEach((winner, i) => {
    const listed = results.winners[i];
    check(
      listed.entryHash === winner.entryHash && listed.rank === winner.rank,
      `winner ${i + 1} should be ${winner.entryHash} (rank ${winner.rank}); the results list ${listed.entryHash} (rank ${listed.rank})`,
    );
  });
  return expected.length;
}

const entrants = readEntrants(argument('entrants'));
const results = readJson<ResultsFile>(argument('results'));
try {
  const winners = verify(entrants, results);
  console.log(`OK: round ${results.roundId}, ${entrants.count} entrants, ${winners} winners and ${results.skips.length} skips match the published draw`);
  const source = results.publicValueSource ?? entrants.publicValueSource;
  if (source) console.log(`Check by hand: the public value "${results.publicValue}" is what this source gave: ${source}`);
} catch (error) {
  if (!(error instanceof Mismatch)) throw error;
  console.error(`MISMATCH: ${error.message}`);
  process.exit(1);
}
