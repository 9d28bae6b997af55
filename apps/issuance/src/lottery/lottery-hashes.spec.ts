import { createHash } from 'node:crypto';
import { commitmentOf, drawKeyOf, drawOrder, entrantsDigestOf, entryHashOf } from './lottery-hashes';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const SEED = '00'.repeat(31) + '01';
const SALT = 'ab'.repeat(32);
const RESIDENT = '01A23D4B-2A15-7532-9311-76623D03E613';

/** The formulas LOTTERY.md publishes, written out again: the verify script depends on these exact bytes. */
describe('lottery arithmetic', () => {
  it('commits to the bytes of the seed, not to its hex text', () => {
    expect(commitmentOf(SEED)).toBe(sha256(Buffer.from(SEED, 'hex')));
    expect(commitmentOf(SEED)).not.toBe(sha256(SEED));
  });

  it('hashes an entrant as salt hex then the resident id in lower case', () => {
    expect(entryHashOf(SALT, RESIDENT)).toBe(sha256(`${SALT}${RESIDENT.toLowerCase()}`));
    expect(entryHashOf(SALT, RESIDENT)).toBe(entryHashOf(SALT, RESIDENT.toLowerCase()));
  });

  it('digests the salt and the sorted hashes, one per line, whatever order they come in', () => {
    const hashes = ['c'.repeat(64), 'a'.repeat(64), 'b'.repeat(64)];
    const expected = sha256(`${SALT}\n${'a'.repeat(64)}\n${'b'.repeat(64)}\n${'c'.repeat(64)}\n`);
    expect(entrantsDigestOf(SALT, hashes)).toBe(expected);
    expect(entrantsDigestOf(SALT, [...hashes].reverse())).toBe(expected);
    expect(entrantsDigestOf('cd'.repeat(32), hashes)).not.toBe(expected);
  });

  it('draws lowest SHA-256(seed ‖ public value ‖ entry hash) first, and the public value changes the order', () => {
    const hashes = Array.from({ length: 20 }, (_, i) => sha256(`entrant ${i}`));
    const order = drawOrder(SEED, 'value', hashes);
    const keys = order.map((hash) => drawKeyOf(SEED, 'value', hash));
    expect(keys).toEqual([...keys].sort());
    expect(drawKeyOf(SEED, 'value', hashes[0])).toBe(sha256(`${SEED}value${hashes[0]}`));
    expect(new Set(order)).toEqual(new Set(hashes));
    expect(drawOrder(SEED, 'other value', hashes)).not.toEqual(order);
  });
});
