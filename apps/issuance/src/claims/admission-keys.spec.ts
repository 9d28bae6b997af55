import { newPublicId } from '@vouchers/common';
import { CLUSTER_SLOTS, keySlot } from '@vouchers/redis';
import { admissionKeys, bucketOf, residentStateId, stateIdOf, stateIdsOf } from './admission-keys';

describe('the keys of hot-stock buckets', () => {
  it('keeps the keys of before for one bucket', () => {
    expect(stateIdsOf('c1', 1)).toEqual(['c1']);
    expect(residentStateId('c1', newPublicId(), 1)).toBe('c1');
    expect(admissionKeys(stateIdOf('c1', 0, 1)).round('r')).toBe('{cmp:c1}:round:r');
  });

  it('gives each bucket a hash tag of its own, all its keys under it', () => {
    const ids = stateIdsOf('c1', 3);
    expect(ids).toHaveLength(3);
    ids.forEach((id, k) => expect(id).toMatch(new RegExp(`^c1:b${k}\\.\\d+$`)));
    const keys = admissionKeys(stateIdOf('c1', 2, 3));
    expect([keys.loaded, keys.meta, keys.pending, keys.round('r'), keys.person('p')].every((key) => key.startsWith(`{cmp:${ids[2]}}:`))).toBe(true);
  });

  it('spreads the buckets over the slots, bucket k near the middle of the k-th K-th (spreadOverSlots)', () => {
    const ids = stateIdsOf(newPublicId(), 4);
    ids.forEach((id, k) => expect(Math.abs(keySlot(`{cmp:${id}}:meta`) - ((k + 0.5) * CLUSTER_SLOTS) / 4)).toBeLessThanOrEqual(33));
  });

  it('names the same bucket ids in every process: a function of the campaign and K only', () => {
    // Fixed here: live states of campaigns of buckets are stored under these names.
    const id = '01900000-0000-7000-8000-000000000001';
    expect(stateIdsOf(id, 4)).toEqual([`${id}:b0.252`, `${id}:b1.143`, `${id}:b2.756`, `${id}:b3.34`]);
  });

  it('puts a resident in the same bucket every time, and residents evenly across buckets', () => {
    const ids = Array.from({ length: 8_000 }, () => newPublicId());
    expect(ids.every((id) => bucketOf(id, 8) === bucketOf(id, 8))).toBe(true);
    const counts = new Array<number>(8).fill(0);
    for (const id of ids) counts[bucketOf(id, 8)] += 1;
    expect(counts.every((n) => n > 800 && n < 1_200)).toBe(true);
  });

  it('keeps the hash from one release to the next: a live state holds each record where this places it', () => {
    const id = (n: number) => `01900000-0000-7000-8000-00000000000${n}`;
    expect([bucketOf(id(1), 4), bucketOf(id(1), 16), bucketOf(id(1), 64), bucketOf(id(2), 64)]).toEqual([3, 3, 51, 6]);
  });
});
