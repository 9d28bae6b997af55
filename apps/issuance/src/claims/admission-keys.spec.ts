import { newPublicId } from '@vouchers/common';
import { admissionKeys, bucketOf, residentStateId, stateIdOf, stateIdsOf } from './admission-keys';

describe('the keys of hot-stock buckets', () => {
  it('keeps the keys of before for one bucket', () => {
    expect(stateIdsOf('c1', 1)).toEqual(['c1']);
    expect(residentStateId('c1', newPublicId(), 1)).toBe('c1');
    expect(admissionKeys(stateIdOf('c1', 0, 1)).round('r')).toBe('{cmp:c1}:round:r');
  });

  it('gives each bucket a hash tag of its own, all its keys under it', () => {
    expect(stateIdsOf('c1', 3)).toEqual(['c1:b0', 'c1:b1', 'c1:b2']);
    const keys = admissionKeys(stateIdOf('c1', 2, 3));
    expect([keys.loaded, keys.meta, keys.pending, keys.round('r'), keys.person('p')].every((key) => key.startsWith('{cmp:c1:b2}:'))).toBe(true);
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
