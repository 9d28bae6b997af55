import { AppError } from './errors';
import { isPublicId } from './ids';
import { cursorInt, decodeCursor, decodeDayCursor, decodeIdCursor, encodeCursor, toPage } from './pagination';

const text = (part: unknown): part is string => typeof part === 'string';
const anyInt = cursorInt(-1_000, 1_000);

describe('keyset pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor<[string, number]>(encodeCursor(['2026-11-27', 42]), [text, anyInt])).toEqual(['2026-11-27', 42]);
  });

  it('refuses a cursor it did not issue', () => {
    for (const bad of ['%%%', Buffer.from('{"a":1}').toString('base64url'), encodeCursor(['only-one']), encodeCursor([7, 'x'])]) {
      expect(() => decodeCursor<[string, number]>(bad, [text, anyInt])).toThrow(AppError);
    }
  });

  it('serves limit rows and a cursor only when more exist', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const page = toPage(rows, 2, (row) => [row.n], (row) => row.n * 10);
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor<[number]>(page.nextCursor as string, [anyInt])).toEqual([2]);
    expect(toPage(rows, 3, (row) => [row.n], (row) => row.n).nextCursor).toBeNull();
  });
});

describe('cursor parts', () => {
  const id = '01900000-0000-7000-8000-000000000001';

  it('take an integer only in its range', () => {
    const metres = cursorInt(0, 2_000_000_000);
    expect(decodeCursor<[number, string]>(encodeCursor([120, id]), [metres, isPublicId])).toEqual([120, id]);
    for (const bad of [1e20, 1.5, 2_147_483_648, -1, Number.MAX_SAFE_INTEGER + 2, '120']) {
      expect(() => decodeCursor<[number, string]>(encodeCursor([bad as number, id]), [metres, isPublicId])).toThrow(AppError);
    }
  });

  it('take an id only as a public id', () => {
    expect(decodeIdCursor(encodeCursor([id]))).toBe(id);
    expect(decodeIdCursor(undefined)).toBeNull();
    expect(() => decodeIdCursor(encodeCursor(['abc']))).toThrow(AppError);
    expect(() => decodeIdCursor(encodeCursor([7]))).toThrow(AppError);
  });

  it('take a day only as one Postgres can hold', () => {
    expect(decodeDayCursor(encodeCursor(['2026-11-27']))).toBe('2026-11-27');
    expect(decodeDayCursor(encodeCursor(['0001-01-01']))).toBe('0001-01-01');
    expect(decodeDayCursor(undefined)).toBeNull();
    for (const bad of ['0000-01-01', '9999-99-99', '2026-02-30', '2026-1-1', 20261127]) {
      expect(() => decodeDayCursor(encodeCursor([bad]))).toThrow(AppError);
    }
  });
});
