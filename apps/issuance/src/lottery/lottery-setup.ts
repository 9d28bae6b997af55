import { LotteryDraw, LotterySeed, Round } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { commitmentOf, randomHex32 } from './lottery-hashes';

/**
 * Gives each new lottery round its secret seed (lottery_seeds, which only the draw reads) and
 * publishes the seed's commitment and the round's salt (lottery_draws), in the campaign's
 * creation transaction: the commitment exists before sign-up can open.
 */
export async function setUpLotteries(manager: EntityManager, roundIds: ReadonlyArray<Round['id']>): Promise<void> {
  if (roundIds.length === 0) return;
  const seeds = roundIds.map((roundId) => ({ roundId, seed: randomHex32() }));
  await manager.insert(LotterySeed, seeds);
  await manager.insert(
    LotteryDraw,
    seeds.map(({ roundId, seed }) => ({ roundId, salt: randomHex32(), commitment: commitmentOf(seed) })),
  );
}
