import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';

/** What a checkout code binds: one voucher, its holder, an expiry and a one-time nonce. */
export interface VoucherCodeClaims {
  voucherId: string;
  residentId: string;
  /** Unix seconds. */
  expiresAt: number;
  /** 16 hex characters (8 random bytes). */
  nonce: string;
}

const VERSION = 1;
const PREFIX = 'V1';
const PAYLOAD_BYTES = 1 + 16 + 16 + 4 + 8;
const MAC_BYTES = 16;
const BODY = /^[A-Za-z0-9_-]+$/;
const NONCE = /^[0-9a-f]{16}$/;

const uuidBytes = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const uuidOf = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const macOf = (payload: Buffer, key: KeyObject) => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

/**
 * `V1` + base64url(version, voucher id, resident id, expiry, nonce, HMAC-SHA256 truncated to
 * 128 bits): 84 characters, small enough for a QR code at low density.
 */
export function signVoucherCode(claims: VoucherCodeClaims, key: KeyObject): string {
  if (!NONCE.test(claims.nonce)) throw new RangeError('nonce must be 16 hex characters');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidBytes(claims.voucherId).copy(payload, 1);
  uuidBytes(claims.residentId).copy(payload, 17);
  payload.writeUInt32BE(claims.expiresAt, 33);
  Buffer.from(claims.nonce, 'hex').copy(payload, 37);
  return PREFIX + Buffer.concat([payload, macOf(payload, key)]).toString('base64url');
}

export type CodeReading = { ok: true; claims: VoucherCodeClaims; digest: string } | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' };

/**
 * Reads a scanned code: its shape, then its signature (compared in constant time). `digest`
 * (the MAC in hex) names this exact code, so a retry can be told from a different code.
 */
export function readVoucherCode(text: unknown, key: KeyObject): CodeReading {
  if (typeof text !== 'string' || !text.startsWith(PREFIX) || text.length > 200 || !BODY.test(text.slice(PREFIX.length))) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const bytes = Buffer.from(text.slice(PREFIX.length), 'base64url');
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES || bytes.readUInt8(0) !== VERSION) return { ok: false, reason: 'MALFORMED' };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const given = bytes.subarray(PAYLOAD_BYTES);
  if (!timingSafeEqual(given, macOf(payload, key))) return { ok: false, reason: 'BAD_SIGNATURE' };
  return {
    ok: true,
    digest: given.toString('hex'),
    claims: {
      voucherId: uuidOf(payload.subarray(1, 17)),
      residentId: uuidOf(payload.subarray(17, 33)),
      expiresAt: payload.readUInt32BE(33),
      nonce: payload.subarray(37, 45).toString('hex'),
    },
  };
}
