import { isPublicId, newPublicId, publicIdAsSent } from './ids';

describe('public ids', () => {
  it('are UUIDv7 with the time in the first 48 bits', () => {
    const at = Date.UTC(2026, 10, 27, 2, 0, 0);
    const id = newPublicId(at);
    expect(isPublicId(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(newPublicId(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff');
    expect(newPublicId(2 ** 32).slice(0, 13)).toBe('00010000-0000');
  });

  it('sort by creation time and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newPublicId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => newPublicId())).size).toBe(10_000);
  });

  it('rejects what is not a UUID', () => {
    expect(isPublicId('1')).toBe(false);
    expect(isPublicId('01900000-0000-7000-8000-00000000000G')).toBe(false);
    expect(isPublicId(42)).toBe(false);
  });

  it('takes a public id sent in either case in lower case, and leaves what is not a string alone', () => {
    const id = newPublicId();
    expect(isPublicId(id.toUpperCase())).toBe(false);
    expect(publicIdAsSent(id.toUpperCase())).toBe(id);
    expect(publicIdAsSent(id)).toBe(id);
    expect(publicIdAsSent(undefined)).toBeUndefined();
    expect(publicIdAsSent(42)).toBe(42);
  });
});
