import { randomBytes } from 'node:crypto';

/**
 * Public identifiers are UUIDv7: time-ordered (good for B-tree inserts) and carrying
 * 74 random bits, so they cannot be guessed. Sequential database ids never leave the server.
 */
const POOL_SIZE = 16 * 256;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/** 16 fresh random bytes, cut from a pool refilled 256 ids at a time (one syscall, not one per id). */
function random16(): Buffer {
  if (offset + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + 16));
  offset += 16;
  return bytes;
}

export function newPublicId(now: number = Date.now()): string {
  const bytes = random16();
  // The 48-bit millisecond timestamp, big-endian, in plain number arithmetic (BigInt costs a microsecond an id).
  const high = Math.floor(now / 0x1_0000_0000);
  const low = now >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes.writeUInt32BE(low, 2);
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isPublicId(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/**
 * A public id as a client sent it, spelled the one way the code compares ids: in lower case.
 * A UUID means the same in either case (RFC 9562) and Postgres reads both, but Redis keys,
 * caches, signed codes, audit records and in-memory comparisons compare text. Every id that
 * arrives from a client passes here at the edge (PublicIdPipe, IdCasePipe, IsPublicId, the raw
 * routes). Not a check: what is no UUID stays none, for its route's own check to answer.
 */
export function publicIdAsSent<T>(value: T): T {
  return (typeof value === 'string' ? value.toLowerCase() : value) as T;
}
