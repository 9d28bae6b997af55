/**
 * What a fault run checks once the crowd is gone, against Postgres (the truth) and the
 * round's stock in Redis: DESIGN §4 invariants 1-3, and invariant 8's "nothing is stranded".
 */
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { Answer } from './rush';

export interface RoundUnderTest {
  campaignId: string;
  roundId: string;
  quantity: number;
  perPersonLimit: number;
}

export interface Invariants {
  rows: number;
  /** Rows beyond the round's quantity. */
  oversold: number;
  /** Vouchers answered 201/200 that are not rows. */
  ackedMissing: number;
  /** Vouchers people hold beyond the campaign's per-person limit. */
  overLimit: number;
}

export async function invariantsOf(pg: Pool, round: RoundUnderTest, acked: Set<string>): Promise<Invariants> {
  const {
    rows: [counts],
  } = await pg.query<{ rows: number; over_limit: number }>(
    `WITH mine AS (
       SELECT v.resident_id FROM vouchers v JOIN rounds r ON r.id = v.round_id WHERE r.public_id = $1
     ), campaign AS (
       SELECT v.resident_id, count(*) AS held
         FROM vouchers v JOIN campaigns c ON c.id = v.campaign_id WHERE c.public_id = $2 GROUP BY v.resident_id
     )
     SELECT (SELECT count(*) FROM mine)::int AS rows,
            (SELECT COALESCE(sum(held - $3), 0) FROM campaign WHERE held > $3)::int AS over_limit`,
    [round.roundId, round.campaignId, round.perPersonLimit],
  );
  const ids = [...acked];
  const {
    rows: [{ found }],
  } = await pg.query<{ found: number }>('SELECT count(*)::int AS found FROM vouchers WHERE public_id = ANY($1::uuid[])', [ids]);
  return {
    rows: counts.rows,
    oversold: Math.max(0, counts.rows - round.quantity),
    ackedMissing: ids.length - found,
    overLimit: counts.over_limit,
  };
}

export interface StockCheck {
  /** The round's stock in Redis at the bound; null when the campaign's state was not loaded. */
  stock: number | null;
  rows: number;
  /** Stock neither in Redis nor a row at the bound: reservations nobody released. */
  strandedStock: number;
  /** Stock Redis offers at the bound beyond what the round has left: what a stale state would sell twice. */
  excessStock: number;
  /**
   * Seconds after the rush until the stock was whole; beyond the bound when it healed only
   * while being watched a while longer (how long stock stayed stranded); null when never.
   */
  healWaitSeconds: number | null;
}

const POLL_MS = 250;

interface StockLook {
  stock: number | null;
  rows: number;
  left: number;
  whole: boolean;
}

/** Redis first: a claim committing between the two reads can only make the sum look high, never hide missing stock. */
async function lookAtStock(pg: Pool, redis: Redis, tag: string, round: RoundUnderTest): Promise<StockLook> {
  let stock: number | null;
  try {
    const [loaded, value] = await Promise.all([redis.exists(`${tag}:loaded`), redis.hget(`${tag}:round:${round.roundId}`, 'stock')]);
    stock = loaded === 1 && value !== null ? Number(value) : null;
  } catch {
    stock = null;
  }
  const {
    rows: [{ rows }],
  } = await pg.query<{ rows: number }>('SELECT count(*)::int AS rows FROM vouchers v JOIN rounds r ON r.id = v.round_id WHERE r.public_id = $1', [
    round.roundId,
  ]);
  const left = Math.max(0, round.quantity - rows);
  return { stock, rows, left, whole: stock !== null && Math.max(0, stock) === left };
}

/**
 * Waits, up to `boundMs`, for the round's stock in Redis plus its rows in Postgres to equal its
 * quantity: every reservation either became a row or was given back. What is missing (or too
 * much) at the bound is the verdict. Stock still stranded then is watched up to `watchMs`
 * longer, only to report when it came back.
 */
export async function waitForWholeStock(
  pg: Pool,
  redis: Redis,
  keyPrefix: string,
  round: RoundUnderTest,
  boundMs: number,
  watchMs: number,
): Promise<StockCheck> {
  const tag = `${keyPrefix}{cmp:${round.campaignId}}`;
  const started = performance.now();
  const sleep = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));
  let look = await lookAtStock(pg, redis, tag, round);
  while (!look.whole && performance.now() - started < boundMs) {
    await sleep();
    look = await lookAtStock(pg, redis, tag, round);
  }
  const known = look.stock === null ? 0 : Math.max(0, look.stock);
  const verdict = {
    stock: look.stock,
    rows: look.rows,
    strandedStock: Math.max(0, look.left - known),
    excessStock: Math.max(0, known - look.left),
  };
  let later = look;
  while (!later.whole && performance.now() - started < boundMs + watchMs) {
    await sleep();
    later = await lookAtStock(pg, redis, tag, round);
  }
  return { ...verdict, healWaitSeconds: later.whole ? round1((performance.now() - started) / 1000) : null };
}

/**
 * Seconds from the fault to the first answer that shows grabs work again: a voucher (201) or,
 * once the round is gone, a final SOLD_OUT; only for grabs sent after the fault, since one
 * admitted before it can still be answered 201 a moment later. null: never within the rush.
 */
export function recoveredSeconds(answers: Answer[], faultAt: number): number | null {
  let first: number | null = null;
  for (const answer of answers) {
    if (answer.sentAt < faultAt) continue;
    if (answer.status !== 201 && answer.code !== 'SOLD_OUT') continue;
    if (first === null || answer.at < first) first = answer.at;
  }
  return first === null ? null : round1((first - faultAt) / 1000);
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
