import { DataSource } from 'typeorm';
import { MISSES_KEPT, RoundCatalog } from './round-catalog';

const ROUND = '01900000-0000-7000-8000-0000000000aa';
/** The round as the query builder hands it back, its campaign and voucher type joined. */
const ROUND_ENTITY = {
  id: '7',
  publicId: ROUND,
  voucherTypeId: '5',
  campaign: {
    id: '3',
    publicId: '01900000-0000-7000-8000-0000000000bb',
    name: 'dining',
    validityDays: 7,
    validUntil: null,
    categories: ['dining'],
    districts: [],
  },
  voucherType: { id: '5', name: '满40减10', faceValueFen: 1000, thresholdFen: 4000 },
};

/** A data source whose query builder answers the catalog's one read with `read` (a pure unit: what is under test is the caching). */
function fakeDb(read: () => Promise<unknown>): DataSource {
  const builder = {
    innerJoinAndSelect: () => builder,
    where: () => builder,
    getOne: read,
  };
  return { manager: { createQueryBuilder: () => builder } } as unknown as DataSource;
}

/** A stand-in for the one query the catalog makes, counting the reads. */
function countingDb(found: unknown, delayMs = 5) {
  let queries = 0;
  const db = fakeDb(async () => {
    queries += 1;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return found;
  });
  return { db, queries: () => queries };
}

describe('RoundCatalog', () => {
  it("reads a round once however many grabs ask for it at the round's opening", async () => {
    const { db, queries } = countingDb(ROUND_ENTITY);
    const catalog = new RoundCatalog(db);
    const found = await Promise.all(Array.from({ length: 500 }, () => catalog.find(ROUND)));
    expect(queries()).toBe(1);
    expect(new Set(found).size).toBe(1);
    expect(found[0]).toMatchObject({ roundId: ROUND, internalRoundId: '7', faceValueFen: 1000, thresholdFen: 4000 });
    await catalog.find(ROUND);
    expect(queries()).toBe(1);
  });

  it('remembers an unknown round briefly, also after one shared read', async () => {
    const { db, queries } = countingDb(null);
    const catalog = new RoundCatalog(db);
    expect(await Promise.all([catalog.find(ROUND), catalog.find(ROUND)])).toEqual([null, null]);
    expect(await catalog.find(ROUND)).toBeNull();
    expect(queries()).toBe(1);
  });

  it('remembers a bounded number of unknown rounds, the newest', async () => {
    const { db, queries } = countingDb(null, 0);
    const catalog = new RoundCatalog(db);
    const madeUp = (i: number) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`;
    for (let i = 0; i < MISSES_KEPT + 50; i++) await catalog.find(madeUp(i));
    expect(catalog.rememberedMisses).toBe(MISSES_KEPT);
    const asked = queries();
    await catalog.find(madeUp(MISSES_KEPT + 49)); // among the newest: still remembered
    expect(queries()).toBe(asked);
    await catalog.find(madeUp(0)); // the oldest was let go: read again
    expect(queries()).toBe(asked + 1);
  });

  it('reads again after a failed read', async () => {
    let fail = true;
    const db = fakeDb(async () => {
      if (fail) throw new Error('connection lost');
      return ROUND_ENTITY;
    });
    const catalog = new RoundCatalog(db);
    await expect(catalog.find(ROUND)).rejects.toThrow('connection lost');
    fail = false;
    expect(await catalog.find(ROUND)).toMatchObject({ roundId: ROUND });
  });
});
