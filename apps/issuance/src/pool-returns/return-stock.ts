import { Inject, Injectable } from '@nestjs/common';
import { callScript, REDIS, Redis } from '@vouchers/redis';
import { admissionKeys, stateIdsOf } from '../claims/admission-keys';
import { shareOf } from '../claims/bucket-shares';
import { PendingRedisReturn, ReturnStockReply } from './pool-return.types';

/**
 * The Redis half of a return (return-stock.lua, registered with the admission scripts): the
 * target round's stock and the campaign's budget in the admission state gain what Postgres
 * recorded, once per return id. Whether it may be marked done follows from the reply: APPLIED
 * and ALREADY are done; NOT_LOADED too (no state: the next rebuild reads the return from
 * Postgres); BUSY (a rebuild or sync holds the state) and NO_ROUND wait for the next pass.
 */
@Injectable()
export class ReturnStock {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async apply(pending: PendingRedisReturn): Promise<ReturnStockReply> {
    if (pending.buckets > 1) return this.applyToBuckets(pending);
    const keys = admissionKeys(pending.campaignPublicId);
    const source = keys.round(pending.sourceRoundPublicId);
    const reply = await callScript(
      this.redis,
      'returnStock',
      [keys.loaded, keys.meta, pending.targetRoundPublicId ? keys.round(pending.targetRoundPublicId) : source, keys.returned, keys.stateLock, source],
      [pending.publicId, pending.redisStock, pending.redisBudgetFen, pending.sourceStock],
    );
    return String(reply) as ReturnStockReply;
  }

  /**
   * A campaign of stock buckets (admission-keys.ts): each bucket gets its even share of the
   * stock and budget (bucket-shares.ts), by the same script on the bucket's own keys and its own
   * set of returns held, so once per bucket whatever is retried; the buckets that ran short
   * borrow the rest. The state lock is the campaign's, on another slot than the buckets': it is
   * read first (BUSY while a rebuild or sync holds it), and each bucket's script is given its
   * bucket's lock key, which nothing takes. Settled once every bucket is; a bucket not settled
   * yet (BUSY, NO_ROUND) answers for the whole, and the next pass redoes only what is not done.
   */
  private async applyToBuckets(pending: PendingRedisReturn): Promise<ReturnStockReply> {
    const campaign = admissionKeys(pending.campaignPublicId);
    if ((await this.redis.exists(campaign.stateLock)) === 1) return 'BUSY';
    const replies: ReturnStockReply[] = [];
    const states = stateIdsOf(pending.campaignPublicId, pending.buckets);
    for (const [k, stateId] of states.entries()) {
      const keys = admissionKeys(stateId);
      const source = keys.round(pending.sourceRoundPublicId);
      const share = (total: number) => shareOf(total, k, pending.buckets);
      const reply = await callScript(
        this.redis,
        'returnStock',
        [keys.loaded, keys.meta, pending.targetRoundPublicId ? keys.round(pending.targetRoundPublicId) : source, keys.returned, keys.stateLock, source],
        [pending.publicId, share(pending.redisStock), budgetShareOf(pending, k), share(pending.sourceStock)],
      );
      replies.push(String(reply) as ReturnStockReply);
    }
    return replies.find((reply) => !isSettled(reply)) ?? (replies.includes('APPLIED') ? 'APPLIED' : replies[0]);
  }
}

/**
 * Bucket k's share of a return's budget change: the face value of its share of the stock the
 * change goes with (expired vouchers' value with the stock a later round gets, or a closed
 * round's with the stock that left it), so each bucket's budget keeps covering its stock; split
 * evenly when it goes with no stock. The shares add up to the change.
 */
function budgetShareOf(pending: PendingRedisReturn, k: number): number {
  const fen = Number(pending.redisBudgetFen);
  const stock = fen > 0 ? pending.redisStock : pending.sourceStock;
  if (stock !== 0 && fen % stock === 0) return shareOf(stock, k, pending.buckets) * (fen / stock);
  return shareOf(fen, k, pending.buckets);
}

/** Whether a reply leaves nothing for a later pass to do. */
export const isSettled = (reply: ReturnStockReply): boolean => reply === 'APPLIED' || reply === 'ALREADY' || reply === 'NOT_LOADED';
