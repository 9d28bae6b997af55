import { createHash, randomBytes } from 'node:crypto';

/**
 * The lottery's arithmetic, all of it public (LOTTERY.md); scripts/lottery-verify.ts does the
 * same from the published files with its own code, and test/lottery.e2e-spec.ts pins the two.
 * Every hash is SHA-256 in lower-case hex.
 */

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** 32 random bytes, hex: a round's seed or its salt. */
export function randomHex32(): string {
  return randomBytes(32).toString('hex');
}

/** The commitment published before sign-up opens: SHA-256 of the seed's 32 bytes. */
export function commitmentOf(seedHex: string): string {
  return sha256(Buffer.from(seedHex, 'hex'));
}

/** What the published list shows of an entrant: SHA-256(salt hex ‖ resident public id, lower case), as UTF-8 text. */
export function entryHashOf(saltHex: string, residentId: string): string {
  return sha256(`${saltHex}${residentId.toLowerCase()}`);
}

/** The digest of a frozen list: SHA-256 of the salt and the sorted entry hashes, each on its own line. */
export function entrantsDigestOf(saltHex: string, entryHashes: readonly string[]): string {
  const sorted = [...entryHashes].sort();
  return sha256([saltHex, ...sorted].map((line) => `${line}\n`).join(''));
}

/** An entrant's place in the draw: SHA-256(seed hex ‖ public value ‖ entry hash), as UTF-8 text; lower draws first. */
export function drawKeyOf(seedHex: string, publicValue: string, entryHash: string): string {
  return sha256(`${seedHex}${publicValue}${entryHash}`);
}

/** Entry hashes in the order the draw takes them (ties, which SHA-256 makes impossible in practice, by entry hash). */
export function drawOrder(seedHex: string, publicValue: string, entryHashes: readonly string[]): string[] {
  const keyed = entryHashes.map((hash) => ({ hash, key: drawKeyOf(seedHex, publicValue, hash) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  return keyed.map((entry) => entry.hash);
}
