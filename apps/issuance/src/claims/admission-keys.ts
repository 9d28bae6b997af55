import { spreadOverSlots } from '@vouchers/redis';

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

/** The state's key an index member names (admissionKeys(stateId).index holds `round:<id>`, `person:<id>`). */
export function indexedKey(stateId: string, member: string): string {
  return `{cmp:${stateId}}:${member}`;
}

/**
 * Hot-stock buckets (ADMISSION.md): a campaign whose rounds split their stock into K > 1
 * buckets keeps K admission states side by side, bucket k under the hash tag
 * {cmp:<id>:b<k>.<n>} (so on a slot of its own, n spreading the K over the Cluster's masters:
 * bucketStateIds), each a whole state of its own share: marker, meta (with its share of the
 * budget), pending set, the rounds' stock shares and the person records of the residents it
 * holds. The "state id" names one: the campaign's id when K = 1 (the keys of before), else
 * `<id>:b<k>.<n>`; admissionKeys(stateId) gives its keys. The campaign-wide keys (lock, the
 * marker a rebuild sets last) stay under {cmp:<id>}.
 */
export function stateIdOf(campaignId: string, bucket: number, buckets: number): string {
  return buckets <= 1 ? campaignId : bucketStateIds(campaignId, buckets)[bucket];
}

/** Campaigns whose bucket ids are remembered at once; past this the memory starts again. */
const REMEMBERED_CAMPAIGNS = 10_000;
const remembered = new Map<string, { buckets: number; ids: string[] }>();

/**
 * The K bucket state ids of a campaign, spread evenly over a Cluster's slots so that its masters
 * share them (spreadOverSlots): each process finds the same, once a campaign.
 */
function bucketStateIds(campaignId: string, buckets: number): string[] {
  const known = remembered.get(campaignId);
  if (known?.buckets === buckets) return known.ids;
  const ids = spreadOverSlots(campaignId, buckets, 'cmp:');
  if (remembered.size >= REMEMBERED_CAMPAIGNS) remembered.clear();
  remembered.set(campaignId, { buckets, ids });
  return ids;
}

/** Every state id of a campaign split into `buckets`, bucket 0 first. */
export function stateIdsOf(campaignId: string, buckets: number): string[] {
  return buckets <= 1 ? [campaignId] : [...bucketStateIds(campaignId, buckets)];
}

/**
 * The bucket a resident belongs to for the whole campaign: FNV-1a of the id (as it is keyed,
 * lower case), modulo the bucket count. Stable across processes and restarts, so a person's
 * record, and with it the per-person limit, lives in one bucket only.
 */
export function bucketOf(residentId: string, buckets: number): number {
  if (buckets <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < residentId.length; i++) {
    hash ^= residentId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % buckets;
}

/** The state id holding a resident's record in a campaign of `buckets` buckets. */
export function residentStateId(campaignId: string, residentId: string, buckets: number): string {
  return stateIdOf(campaignId, bucketOf(residentId, buckets), buckets);
}

/** What the release script needs for one person in one round, in its KEYS order. */
export function releaseKeys(stateId: string, roundId: string, residentId: string): string[] {
  const keys = admissionKeys(stateId);
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
