/** The slots of a Redis Cluster: every key hashes to one of them. */
export const CLUSTER_SLOTS = 16_384;

/** CRC16-CCITT (XModem: polynomial 0x1021, initial 0) a byte at a time, as Redis hashes keys. */
const CRC16_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/**
 * The Cluster slot of a key, as Redis computes it (CLUSTER KEYSLOT): CRC16 of its UTF-8 bytes
 * modulo 16384, or of its hash tag only when it has one (the text between the first `{` and the
 * next `}`, when that is not empty).
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(hashed, 'utf8')) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc % CLUSTER_SLOTS;
}

/** How far from the middle of its share of the slots a name of spreadOverSlots may hash. */
const SLOT_TOLERANCE = 32;
/** Suffixes tried before giving up: each lands one time in 252, so this is never reached. */
const SEARCH_LIMIT = 1_000_000;

/**
 * `count` names for the parts of something split over a Cluster (the stock buckets of a round),
 * spread evenly over the 16,384 slots: part k is `<base>:b<k>.<n>` for the first n whose slot,
 * as the hash tag `{<tagPrefix><name>}`, lies within SLOT_TOLERANCE of the middle of the k-th
 * count-th of the slots. A Cluster made by `redis-cli --cluster create` gives each master an
 * even, contiguous range of slots, so `count` parts on M such masters use every master when
 * count ≥ M and `count` different ones when count < M (slots moved by hand since may undo it).
 * Named `<base>:b<k>` alone they did not: CRC16 is linear, so such names' slots differ in bits
 * the digit fixes, and over 2,000 random bases 2 parts on 2 masters always shared one, 3 on 3
 * used all three about half the time, 6 on 6 never all six. A function of its arguments alone,
 * so every process finds the same names; about 252 CRC16s a part.
 */
export function spreadOverSlots(base: string, count: number, tagPrefix = ''): string[] {
  return Array.from({ length: count }, (_, k) => {
    const middle = Math.floor(((2 * k + 1) * CLUSTER_SLOTS) / (2 * count));
    for (let n = 0; n < SEARCH_LIMIT; n++) {
      const name = `${base}:b${k}.${n}`;
      if (Math.abs(keySlot(`${tagPrefix}${name}`) - middle) <= SLOT_TOLERANCE) return name;
    }
    throw new Error(`no name for part ${k} of ${count} of ${base} near slot ${middle}`);
  });
}
