import { Inject, Injectable } from '@nestjs/common';
import { callScript, REDIS, Redis } from '@vouchers/redis';
import { admissionKeys, stateIdOf } from './admission-keys';

/** What a bucket lacks: stock of the round (SOLD_OUT), or budget for one voucher of it (BUDGET). */
export type BucketNeed = 'stock' | 'budget';

export interface DryBucket {
  campaignId: string;
  buckets: number;
  /** The bucket that ran dry (the resident's). */
  bucket: number;
  roundId: string;
  faceValueFen: number;
}

/**
 * How long a SOLD_OUT confirmed over every bucket stands in this process without reading the
 * buckets again. Stock comes back only by a give-back or a pool return (a few, at the end of a
 * rush); a resident's own bucket is still asked first, so only another bucket's return can wait
 * this long: the grace the sold-out promise allows (ADMISSION.md).
 */
export const SOLD_OUT_NOTE_MS = 1_000;

interface Donor {
  stateId: string;
  stock: number;
  budget: number;
}

/**
 * Hot-stock buckets borrowing from one another (ADMISSION.md): a bucket that answers SOLD_OUT
 * while others still hold stock takes half of the richest donor's, with the budget those
 * vouchers are worth (so every bucket's budget keeps covering its stock, and BUDGET is answered
 * only where the budget truly binds); one that answers BUDGET takes one voucher's worth of
 * budget from the others, richest first. Each move is two scripts: bucket-take.lua on the donor's slot,
 * then bucket-give.lua on the dry one's. A crash between the two loses the stock from Redis
 * only (an under-sell that the next rebuild from Postgres puts right), never oversells.
 * Borrows of one bucket and round within this process share one move: a hundred grabs that
 * met the same empty bucket wait for the one move, then try again.
 */
@Injectable()
export class StockBuckets {
  private readonly moving = new Map<string, Promise<boolean>>();
  /** Rounds found sold out over every bucket (`campaign|round`), and until when (ms) that stands. */
  private readonly soldOutUntil = new Map<string, number>();

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Resolves true when the dry bucket gained something (the grab is worth trying again), false when no other bucket had any. */
  borrow(dry: DryBucket, need: BucketNeed): Promise<boolean> {
    const key = `${stateIdOf(dry.campaignId, dry.bucket, dry.buckets)}|${dry.roundId}|${need}`;
    let move = this.moving.get(key);
    if (!move) {
      move = this.move(dry, need).finally(() => this.moving.delete(key));
      this.moving.set(key, move);
    }
    return move;
  }

  private async move(dry: DryBucket, need: BucketNeed): Promise<boolean> {
    const dryState = stateIdOf(dry.campaignId, dry.bucket, dry.buckets);
    const generation = await this.redis.get(admissionKeys(dryState).loaded);
    if (generation === null) return false;
    const donors = await this.donors(dry, dryState, need);
    const face = dry.faceValueFen;
    if (need === 'stock') {
      // Half the richest donor's stock, each voucher with its face value of budget (bucket-take.lua).
      const richest = donors.sort((a, b) => b.stock - a.stock)[0];
      if (!richest || richest.stock <= 0) return false;
      return this.moveBetween(richest.stateId, dryState, dry, generation, Math.ceil(richest.stock / 2), 0);
    }
    // Budget for one voucher, no more (budget binds only where returns lowered it: it is what is scarce), richest donor first.
    let gained = 0;
    for (const donor of donors.sort((a, b) => b.budget - a.budget)) {
      if (gained >= face || donor.budget <= 0) break;
      const fen = face - gained;
      if (await this.moveBetween(donor.stateId, dryState, dry, generation, 0, fen)) gained += Math.min(fen, donor.budget);
    }
    return gained > 0;
  }

  /**
   * Whether a bucket's SOLD_OUT stands for the round: at most K vouchers left over every bucket
   * (remaining()). Once it stands it is noted for SOLD_OUT_NOTE_MS, so the refusals that follow
   * a sell-out (most of a rush's answers) neither borrow nor read every bucket again: one read
   * of the buckets a second a process, instead of K or more a refusal.
   */
  async soldOutEverywhere(dry: DryBucket): Promise<boolean> {
    if (this.knownSoldOut(dry.campaignId, dry.roundId)) return true;
    if ((await this.remaining(dry)) > dry.buckets) return false;
    this.noteSoldOut(dry.campaignId, dry.roundId);
    return true;
  }

  /** Notes the round sold out over every bucket for SOLD_OUT_NOTE_MS: with one bucket, its SOLD_OUT says so. */
  noteSoldOut(campaignId: string, roundId: string): void {
    this.soldOutUntil.set(`${campaignId}|${roundId}`, Date.now() + SOLD_OUT_NOTE_MS);
  }

  /** True while a sell-out of the round over every bucket is noted (soldOutEverywhere). */
  knownSoldOut(campaignId: string, roundId: string): boolean {
    const key = `${campaignId}|${roundId}`;
    const until = this.soldOutUntil.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.soldOutUntil.delete(key);
    return false;
  }

  /** A rebuild in this process counted the campaign's stock again from Postgres: its notes no longer hold. */
  forgetSoldOut(campaignId: string): void {
    for (const key of this.soldOutUntil.keys()) if (key.startsWith(`${campaignId}|`)) this.soldOutUntil.delete(key);
  }

  /**
   * The round's stock over every bucket, read now (one read a bucket): what a SOLD_OUT is checked
   * against once the moves are spent. Stock a move holds between its take and its give is in
   * none of them.
   */
  async remaining(dry: DryBucket): Promise<number> {
    const stocks = await Promise.all(
      Array.from({ length: dry.buckets }, (_, k) => this.redis.hget(admissionKeys(stateIdOf(dry.campaignId, k, dry.buckets)).round(dry.roundId), 'stock')),
    );
    return stocks.reduce((sum: number, stock) => sum + Math.max(0, Number(stock ?? 0)), 0);
  }

  /** Every other bucket's stock of the round, or its budget, one read a bucket (each its own slot). */
  private async donors(dry: DryBucket, dryState: string, need: BucketNeed): Promise<Donor[]> {
    const others = Array.from({ length: dry.buckets }, (_, k) => stateIdOf(dry.campaignId, k, dry.buckets)).filter((id) => id !== dryState);
    return Promise.all(
      others.map(async (stateId) => {
        const keys = admissionKeys(stateId);
        const value = Number((await (need === 'stock' ? this.redis.hget(keys.round(dry.roundId), 'stock') : this.redis.hget(keys.meta, 'budget'))) ?? 0);
        return { stateId, stock: need === 'stock' ? value : 0, budget: need === 'budget' ? value : 0 };
      }),
    );
  }

  /**
   * bucket-take.lua on the donor, then bucket-give.lua on the receiver with what it took; true
   * when something arrived. Each voucher moved takes its face value of budget along, so a
   * bucket's budget keeps covering its stock; `fen` is budget wanted besides.
   */
  private async moveBetween(from: string, to: string, dry: DryBucket, generation: string, stock: number, fen: number): Promise<boolean> {
    const donor = admissionKeys(from);
    const roundId = dry.roundId;
    const taken = (await callScript(this.redis, 'bucketTake', [donor.loaded, donor.meta, donor.round(roundId)], [generation, stock, dry.faceValueFen, fen])) as number[];
    const [gotStock, gotFen] = taken.map(Number);
    if (gotStock === 0 && gotFen === 0) return false;
    const receiver = admissionKeys(to);
    const given = await callScript(this.redis, 'bucketGive', [receiver.loaded, receiver.meta, receiver.round(roundId)], [generation, gotStock, gotFen]);
    return Number(given) === 1;
  }
}
