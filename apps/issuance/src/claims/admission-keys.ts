/**
 * Redis keys of one campaign's admission state. All carry the hash tag {cmp:<campaign id>},
 * so every script touches a single slot and runs unchanged on Redis Cluster.
 */
export function admissionKeys(campaignId: string) {
  const tag = `{cmp:${campaignId}}`;
  return {
    loaded: `${tag}:loaded`,
    meta: `${tag}:meta`,
    pending: `${tag}:pending`,
    /** Held by a rebuild or a sync of the state (admission-state.ts). */
    stateLock: `${tag}:lock`,
    /** The returns to the pool the state holds (return-stock.lua), by public id. */
    returned: `${tag}:returned`,
    /**
     * Set of the state's keys of many names, as `round:<id>` and `person:<id>` (indexMember):
     * every script and rebuild that creates one adds it, so a rebuild deletes and a sync
     * re-expires them without listing the keyspace (no SCAN: it would not work on a Cluster).
     */
    index: `${tag}:index`,
    round: (roundId: string) => `${tag}:round:${roundId}`,
    person: (residentId: string) => `${tag}:person:${residentId}`,
  };
}

/** The state's key an index member names (admissionKeys().index holds `round:<id>`, `person:<id>`). */
export function indexedKey(campaignId: string, member: string): string {
  return `{cmp:${campaignId}}:${member}`;
}

/** What the release script needs for one person in one round, in its KEYS order. */
export function releaseKeys(campaignId: string, roundId: string, residentId: string): string[] {
  const keys = admissionKeys(campaignId);
  return [keys.loaded, keys.meta, keys.round(roundId), keys.person(residentId), keys.pending];
}

/**
 * A reservation as the pending set records it: round|person|voucher|slot|idempotency key|maker,
 * where maker is the life id of the process that made it (ProcessLife). Members written before
 * makers were recorded have five parts and an empty maker: only the age-based sweep settles them.
 */
export interface PendingReservation {
  roundId: string;
  residentId: string;
  voucherId: string;
  slot: number;
  idempotencyKey: string;
  maker: string;
}

export function pendingMember(r: PendingReservation): string {
  const member = `${r.roundId}|${r.residentId}|${r.voucherId}|${r.slot}|${r.idempotencyKey}`;
  return r.maker === '' ? member : `${member}|${r.maker}`;
}

export function parsePendingMember(member: string): PendingReservation | null {
  const parts = member.split('|');
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [roundId, residentId, voucherId, slot, idempotencyKey, maker = ''] = parts;
  return { roundId, residentId, voucherId, slot: Number(slot), idempotencyKey, maker };
}
