import { AppError } from './errors';
import { decodeCursor, decodeIdCursor, encodeCursor, toPage } from './pagination';

describe('keyset pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor(['2026-11-27', 42]), 2)).toEqual(['2026-11-27', 42]);
  });

  it('refuses a cursor it did not issue', () => {
    for (const bad of ['%%%', Buffer.from('{"a":1}').toString('base64url'), encodeCursor(['only-one'])]) {
      expect(() => decodeCursor(bad, 2)).toThrow(AppError);
    }
  });

  it('serves limit rows and a cursor only when more exist', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(rows, 2, (row) => [row.n], (row) => row.n * 10);
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor as string, 1)).toEqual([2]);
    expect(toPage(rows, 3, (row) => [row.n], (row) => row.n).nextCursor).toBeNull();
  });
});

describe('id cursors', () => {
  it('accept only a public id', () => {
    const id = '01900000-0000-7000-8000-000000000001';
    expect(decodeIdCursor(encodeCursor([id]))).toBe(id);
    expect(decodeIdCursor(undefined)).toBeNull();
    expect(() => decodeIdCursor(encodeCursor(['abc']))).toThrow(AppError);
    expect(() => decodeIdCursor(encodeCursor([7]))).toThrow(AppError);
  });
});
