import { PassThrough } from 'node:stream';
import { holdsUnstorableText, urlHoldsNul } from './unstorable-text';

describe('unstorable request text: NUL, lone surrogates', () => {
  it('finds a NUL in any string of a parsed body, keys included, at any depth', () => {
    expect(holdsUnstorableText({ name: 'a\u0000b' })).toBe(true);
    expect(holdsUnstorableText({ types: [{ rounds: [{ note: '\u0000' }] }] })).toBe(true);
    expect(holdsUnstorableText({ ['k\u0000']: 1 })).toBe(true);
    expect(holdsUnstorableText(['x', 'y\u0000'])).toBe(true);
  });

  it('finds a lone surrogate, high or low, anywhere a NUL would be found', () => {
    for (const text of ['\ud800', 'a\udfffb', 'x\ud83dy', '\ude00\ud83d']) {
      expect(holdsUnstorableText({ name: text })).toBe(true);
      expect(holdsUnstorableText({ [text]: 1 })).toBe(true);
      expect(holdsUnstorableText([[text]])).toBe(true);
    }
    expect(holdsUnstorableText(JSON.parse('{"reason":"\\ud800"}'))).toBe(true);
  });

  it('passes text without one, and values that are not text', () => {
    expect(holdsUnstorableText({ name: '宁波 😀 ❤️ \ud83d\ude00', text: 'é' })).toBe(false);
    expect(holdsUnstorableText({ name: '宁波消费券 \\u0000', n: 0, ok: false, none: null, list: [1, 'a'] })).toBe(false);
    expect(holdsUnstorableText(undefined)).toBe(false);
    expect(holdsUnstorableText('plain')).toBe(false);
    expect(holdsUnstorableText(Buffer.from('a\u0000b'))).toBe(false);
    expect(holdsUnstorableText(new PassThrough())).toBe(false);
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
    expect(holdsUnstorableText(deep)).toBe(true);
    expect(holdsUnstorableText(JSON.parse(`${'['.repeat(100_000)}"ok"${']'.repeat(100_000)}`))).toBe(false);
  });
});
