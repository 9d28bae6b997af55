import { Inject, Injectable } from '@nestjs/common';
import { callScript, REDIS, Redis } from '@vouchers/redis';
import { admissionKeys } from '../claims/admission-keys';
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
}

/** Whether a reply leaves nothing for a later pass to do. */
export const isSettled = (reply: ReturnStockReply): boolean => reply === 'APPLIED' || reply === 'ALREADY' || reply === 'NOT_LOADED';
