import { LotteryDraw, LotterySeed, Round } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { commitmentOf, randomHex32 } from './lottery-hashes';

/**
 * Gives each new lottery round its secret seed (lottery_seeds, which only the draw reads) and
 * publishes the seed's commitment, the round's salt and the source its public value will be
 * read from (lottery_draws), in the campaign's creation transaction: both exist before sign-up
 * can open, and neither changes after.
 */
export async function setUpLotteries(
  manager: EntityManager,
  lotteries: ReadonlyArray<{ roundId: Round['id']; publicValueSource: string }>,
): Promise<void> {
  if (lotteries.length === 0) return;
  const seeds = lotteries.map(({ roundId, publicValueSource }) => ({ roundId, publicValueSource, seed: randomHex32() }));
  await manager.insert(
    LotterySeed,
    seeds.map(({ roundId, seed }) => ({ roundId, seed })),
  );
  await manager.insert(
    LotteryDraw,
    seeds.map(({ roundId, seed, publicValueSource }) => ({ roundId, salt: randomHex32(), commitment: commitmentOf(seed), publicValueSource })),
  );
}
