import { PUBLISHED_STATUSES } from '../campaigns/campaign-states';

const DAY_MS = 86_400_000;

/** How far ahead the state of a campaign without a known end is kept; the watch renews it. */
export const OPEN_ENDED_HORIZON_MS = 30 * DAY_MS;
/** The watch renews a live campaign's state once less than this is left of it. */
export const RENEW_WITHIN_MS = 7 * DAY_MS;
/** What is kept of a campaign that admits no more grabs: enough to answer them with a 409. */
const AFTER_END_MS = DAY_MS;

/** What decides how long a campaign's admission state lives. */
export interface CampaignLife {
  status: string;
  /** The last moment any of its rounds admits a grab (unix ms); null while some round has no end. */
  endsAt: number | null;
}

/** When a round stops admitting grabs (unix ms): its own close or the campaign's fixed end, whichever is first. */
export function roundClosesAt(closesAt: Date | null, validUntil: Date | null): number | null {
  const ends = [closesAt, validUntil].filter((end) => end !== null).map((end) => new Date(end).getTime());
  return ends.length > 0 ? Math.min(...ends) : null;
}

/** The campaign's end: the latest of its rounds' closes, or null when one of them never closes. */
export function endOfRounds(closes: Array<number | null>): number | null {
  if (closes.length === 0 || closes.some((close) => close === null)) return null;
  return Math.max(...(closes as number[]));
}

/** A campaign's life from its status, its fixed end and its rounds' own closes; also each round's close. */
export function lifeOf(status: string, validUntil: Date | null, roundCloses: Array<Date | null>): { life: CampaignLife; closes: Array<number | null> } {
  const closes = roundCloses.map((close) => roundClosesAt(close, validUntil));
  return { life: { status, endsAt: endOfRounds(closes) }, closes };
}

/** Whether grabs may still be admitted, so the state must hold every person's record. */
export function admitsGrabs(life: CampaignLife, now: number): boolean {
  return (PUBLISHED_STATUSES as readonly string[]).includes(life.status) && (life.endsAt === null || life.endsAt > now);
}

/**
 * When the state may expire (unix ms): a day after the campaign's end, a horizon ahead for a
 * campaign without one (renewed while it lasts), and a day from now once nothing more can be
 * admitted, so a late grab still gets its 409 and the records go with their campaign.
 */
export function stateExpiry(life: CampaignLife, now: number): number {
  if (!admitsGrabs(life, now)) return now + AFTER_END_MS;
  return (life.endsAt ?? now + OPEN_ENDED_HORIZON_MS) + AFTER_END_MS;
}
