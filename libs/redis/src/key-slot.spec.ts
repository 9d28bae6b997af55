import { randomUUID } from 'node:crypto';
import { CLUSTER_SLOTS, keySlot, spreadOverSlots } from './key-slot';

describe('keySlot', () => {
  it('gives the slot Redis gives (CLUSTER KEYSLOT on redis-server 7), tags and UTF-8 included', () => {
    // Each pair was asked of a redis-server in cluster mode.
    const asked: Array<[string, number]> = [
      ['foo', 12182],
      ['bar', 5061],
      ['somekey', 11058],
      ['123456789', 12739], // 0x31C3, the check value of CRC16/XModem
      ['{user1000}.following', 3443],
      ['{}user', 12192], // an empty tag hashes the whole key
      ['{}.following', 6098],
      ['no{tag', 8038],
      ['cmp:0192f0a0-aaaa-7bbb-8ccc-123456789abc:b3', 242],
      ['é', 10180],
    ];
    expect(asked.map(([key]) => [key, keySlot(key)])).toEqual(asked);
  });

  it('hashes only the hash tag, when the key has a non-empty one', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('x{user1000}y{other}')).toBe(keySlot('user1000'));
    expect(keySlot('{}user')).not.toBe(keySlot('user'));
  });
});

describe('spreadOverSlots', () => {
  it('names part k near the middle of the k-th count-th of the slots, as the tag the prefix begins', () => {
    for (const count of [1, 2, 3, 4, 7, 64]) {
      const names = spreadOverSlots(randomUUID(), count, 'cmp:');
      expect(names).toHaveLength(count);
      names.forEach((name, k) => {
        expect(name).toMatch(new RegExp(`:b${k}\\.\\d+$`));
        expect(Math.abs(keySlot(`{cmp:${name}}:x`) - ((k + 0.5) * CLUSTER_SLOTS) / count)).toBeLessThanOrEqual(33);
      });
    }
  });

  it('uses every master when count ≥ M, and count different ones when count < M (masters holding even ranges)', () => {
    const masterOf = (slot: number, masters: number) => Math.floor((slot * masters) / CLUSTER_SLOTS);
    for (const [count, masters] of [[4, 3], [3, 3], [2, 3], [5, 3], [8, 6], [3, 5], [64, 10]]) {
      for (let i = 0; i < 20; i++) {
        const used = new Set(spreadOverSlots(randomUUID(), count, 'cmp:').map((name) => masterOf(keySlot(`cmp:${name}`), masters)));
        expect(used.size).toBe(Math.min(count, masters));
      }
    }
  });

  it('is a function of its arguments alone', () => {
    expect(spreadOverSlots('c1', 3, 'cmp:')).toEqual(spreadOverSlots('c1', 3, 'cmp:'));
    expect(spreadOverSlots('c1', 3)).not.toEqual(spreadOverSlots('c1', 3, 'cmp:'));
  });
});
