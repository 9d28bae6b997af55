import { PassThrough } from 'node:stream';
import { holdsNul, urlHoldsNul } from './nul-text';

describe('NUL in request text', () => {
  it('finds a NUL in any string of a parsed body, keys included, at any depth', () => {
    expect(holdsNul({ name: 'a\u0000b' })).toBe(true);
    expect(holdsNul({ types: [{ rounds: [{ note: '\u0000' }] }] })).toBe(true);
    expect(holdsNul({ ['k\u0000']: 1 })).toBe(true);
    expect(holdsNul(['x', 'y\u0000'])).toBe(true);
  });

  it('passes text without one, and values that are not text', () => {
    expect(holdsNul({ name: '宁波消费券 \\u0000', n: 0, ok: false, none: null, list: [1, 'a'] })).toBe(false);
    expect(holdsNul(undefined)).toBe(false);
    expect(holdsNul('plain')).toBe(false);
    expect(holdsNul(Buffer.from('a\u0000b'))).toBe(false);
    expect(holdsNul(new PassThrough())).toBe(false);
  });

  it('finds an encoded NUL in a path or query', () => {
    expect(urlHoldsNul('/v1/merchants?namePrefix=a%00')).toBe(true);
    expect(urlHoldsNul('/v1/merchants?namePrefix=a%2500')).toBe(false);
    expect(urlHoldsNul('/v1/campaigns')).toBe(false);
  });
});

describe('NUL in a deeply nested body', () => {
  it('walks any depth without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`) as unknown;
    expect(holdsNul(deep)).toBe(true);
    expect(holdsNul(JSON.parse(`${'['.repeat(100_000)}"ok"${']'.repeat(100_000)}`))).toBe(false);
  });
});
