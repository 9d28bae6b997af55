import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { callScript, readLuaScripts, REDIS, Redis, registerLuaScripts, ScriptReply } from '@vouchers/redis';
import { join } from 'node:path';
import { admissionKeys, PendingReservation, pendingMember, releaseKeys, residentStateId, stateIdsOf } from './admission-keys';
import { ProcessLife } from './process-life';
import { TickBatches } from './tick-batches';

export type ReserveOutcome =
  | { outcome: 'OK'; voucherId: string; slot: number; generation: string }
  | { outcome: 'SAME'; voucherId: string; slot: number }
  | { outcome: 'NOT_OPEN'; opensAt: number }
  | { outcome: 'NOT_ACTIVE'; status: string }
  | { outcome: 'NOT_LOADED' | 'NO_ROUND' | 'CLOSED' | 'LIMIT' | 'SOLD_OUT' | 'BUDGET' | 'KEY_REUSED' };

export interface ReserveRequest {
  campaignId: string;
  /** The campaign's stock buckets (its rounds' stockBuckets); 1 when left out. The grab goes to the resident's bucket. */
  buckets?: number;
  roundId: string;
  residentId: string;
  newVoucherId: string;
  idempotencyKey: string;
}

interface WaitingGrab {
  request: ReserveRequest;
  resolve: (outcome: ReserveOutcome) => void;
  reject: (error: unknown) => void;
}

/** The most grabs one script admits: it runs for tens of microseconds a grab, and Redis serves nobody else meanwhile. */
const GRABS_PER_SCRIPT = 100;
const MEMBERS_PER_TRIM = 1_000;
/**
 * How long the grabs of a round known to be sold out (StockBuckets.knownSoldOut) wait to share a
 * script with the grabs of the next turns. After a sell-out most answers of a rush are refusals,
 * arriving a few a turn, and split K ways by the buckets: each would be a script of its own.
 * Redis still decides each answer; the refusal comes this much later.
 */
export const SOLD_OUT_LINGER_MS = 10;

function outcomeOf(reply: ScriptReply[]): ReserveOutcome {
  const [outcome, a, b, c] = reply.map(String);
  switch (outcome) {
    case 'OK':
      return { outcome, voucherId: a, slot: Number(b), generation: c };
    case 'SAME':
      return { outcome, voucherId: a, slot: Number(b) };
    case 'NOT_OPEN':
      return { outcome, opensAt: Number(a) };
    case 'NOT_ACTIVE':
      return { outcome, status: a };
    default:
      return { outcome: outcome as 'NOT_LOADED' };
  }
}

/**
 * The Lua side of the grab: reserve, release, and forget a reservation once it is in Postgres.
 * Grabs of one admission state made in the same turn of the event loop share one script call
 * (TickBatches); the trims of the pending set after their rows are committed share one a turn.
 */
@Injectable()
export class AdmissionStore implements OnModuleInit {
  private readonly grabs = new TickBatches<WaitingGrab>(GRABS_PER_SCRIPT, (stateId, batch) => void this.reserveBatch(stateId, batch));
  private readonly lingering = new TickBatches<WaitingGrab>(GRABS_PER_SCRIPT, (stateId, batch) => void this.reserveBatch(stateId, batch), SOLD_OUT_LINGER_MS);
  private readonly committed = new TickBatches<string>(MEMBERS_PER_TRIM, (campaignId, members) => {
    // Left to the sweeper when it fails: it trims what it finds in Postgres.
    this.redis.zrem(admissionKeys(campaignId).pending, ...members).catch(() => undefined);
  });

  /** Every reservation this process makes names it (its life id), for AbandonedReservations. */
  readonly maker: string;

  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(ProcessLife) life: ProcessLife) {
    this.maker = life.id;
  }

  onModuleInit(): void {
    registerLuaScripts(this.redis, readLuaScripts(join(__dirname, 'scripts')));
  }

  /**
   * Grabs of one bucket (state id, admission-keys.ts) in the same turn share a script call;
   * `soldOut` (the round is known to be sold out) holds them SOLD_OUT_LINGER_MS to share it with
   * the grabs of the next turns.
   */
  reserve(request: ReserveRequest, soldOut = false): Promise<ReserveOutcome> {
    const stateId = residentStateId(request.campaignId, request.residentId, request.buckets ?? 1);
    return new Promise((resolve, reject) => (soldOut ? this.lingering : this.grabs).add(stateId, { request, resolve, reject }));
  }

  private async reserveBatch(stateId: string, batch: WaitingGrab[]): Promise<void> {
    const keys = admissionKeys(stateId);
    const scriptKeys = [keys.loaded, keys.meta, keys.pending, keys.index];
    const args: string[] = [this.maker];
    for (const { request } of batch) {
      scriptKeys.push(keys.round(request.roundId), keys.person(request.residentId));
      args.push(request.roundId, request.newVoucherId, request.idempotencyKey, request.residentId);
    }
    try {
      const replies = (await callScript(this.redis, 'grabReserve', scriptKeys, args)) as ScriptReply[][];
      batch.forEach((waiting, i) => waiting.resolve(outcomeOf(replies[i])));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  /**
   * Gives a reservation back to the state that made it: `stateId` is the campaign's id, or in a
   * campaign of buckets the bucket's (the resident's, residentStateId). So for every method
   * below that names a state.
   */
  async release(stateId: string, reservation: PendingReservation, generation: string): Promise<boolean> {
    const released = await callScript(
      this.redis,
      'grabRelease',
      releaseKeys(stateId, reservation.roundId, reservation.residentId),
      [reservation.roundId, reservation.voucherId, reservation.slot, reservation.idempotencyKey, generation, pendingMember(reservation)],
    );
    return Number(released) === 1;
  }

  /** Trims a reservation from the pending set once its row is committed, with others of the same turn. */
  forgetSoon(stateId: string, reservation: PendingReservation): void {
    this.committed.add(stateId, pendingMember(reservation));
  }

  /** Trims the pending set once rows are committed: nothing appended per claim outlives it. */
  async forget(stateId: string, reservations: PendingReservation[]): Promise<void> {
    if (reservations.length === 0) return;
    await this.redis.zrem(admissionKeys(stateId).pending, ...reservations.map(pendingMember));
  }

  /**
   * Live stock of rounds whose campaign state is loaded; null where it is not. In a campaign of
   * buckets, the sum over them, read one bucket (one slot) a pipeline.
   */
  async stockOf(campaignId: string, roundIds: string[], buckets = 1): Promise<Array<number | null>> {
    if (roundIds.length === 0) return [];
    const shares = await Promise.all(stateIdsOf(campaignId, buckets).map((stateId) => this.stockShares(stateId, roundIds)));
    return roundIds.map((_, i) => {
      if (shares.some((share) => share[i] === null)) return null;
      return Math.max(0, shares.reduce((sum, share) => sum + (share[i] as number), 0));
    });
  }

  /** One state's stock of each round, as held (a bucket's may be below 0 for a closed round); null where not loaded. */
  private async stockShares(stateId: string, roundIds: string[]): Promise<Array<number | null>> {
    const keys = admissionKeys(stateId);
    const pipeline = this.redis.pipeline();
    pipeline.exists(keys.loaded);
    for (const roundId of roundIds) pipeline.hget(keys.round(roundId), 'stock');
    const replies = (await pipeline.exec()) ?? [];
    // A pipeline answers each command's failure in its reply (Redis down, no offline queue): a failed read is not "not loaded".
    const [loadedError, loaded] = replies[0] ?? [new Error('Redis gave no reply')];
    if (loadedError) throw loadedError;
    if (Number(loaded) !== 1) return roundIds.map(() => null);
    return replies.slice(1).map(([error, value]) => (error || value === null ? null : Number(value)));
  }

  async generationOf(stateId: string): Promise<string | null> {
    return this.redis.get(admissionKeys(stateId).loaded);
  }
}
