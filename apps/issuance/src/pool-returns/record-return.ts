import { newPublicId } from '@vouchers/common';
import { Campaign, PoolReturnDestination, recordAudit } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { campaignBudgetProblems } from './budget-check';
import { CAMPAIGN_BUDGET_FIGURES } from './budget-figures.sql';
import { PendingRedisReturn, RecordedReturn, ReturnSource } from './pool-return.types';
import {
  EXPIRY_AMOUNT,
  HAND_BACK_BUDGET,
  INSERT_RETURN,
  LOCK_CAMPAIGN,
  LOWER_ROUND,
  RAISE_ROUND,
  RETURNED_ALREADY,
  TARGET_ROUND,
  UNCLAIMED_AMOUNT,
} from './pool-returns.sql';

/** A return whose budget figures would not add up: its transaction rolls back, nothing is recorded. */
export class BudgetImbalance extends Error {
  constructor(
    readonly sourceKey: string,
    readonly problems: string[],
  ) {
    super(`return ${sourceKey} refused: ${problems.join('; ')}`);
  }
}

type LockedCampaign = Pick<Campaign, 'publicId' | 'returnPolicy' | 'cityShareBp' | 'status'>;

interface SourceAmount {
  vouchers: number;
  valueFen: string;
  voucherTypeId: string;
  roundPublicId: string;
  opensAt: Date;
  runPublicId: string | null;
  stockBuckets: number;
}

/**
 * Returns one source's value to the pool inside the caller's transaction (DESIGN §8), as the
 * campaign's policy says: next_round raises the quantity of the first later open round of the
 * same voucher type (kept when there is none, or the campaign ended); program_budget lowers the
 * campaign's budget by the value (split by the campaign's city share) and so raises the
 * program's available budget. A closed round also gives up the stock that left it. The return
 * row (unique per source), these changes and the audit entry commit together, and the campaign's
 * budget figures are checked before: BudgetImbalance rolls all of it back. Null when the source
 * was returned already (a rerun, or a worker beside this one) or holds nothing.
 */
export async function recordReturn(manager: EntityManager, source: ReturnSource): Promise<{ recorded: RecordedReturn; redis: PendingRedisReturn } | null> {
  const [campaign]: LockedCampaign[] = await manager.query(LOCK_CAMPAIGN, [source.campaignId]);
  if (!campaign || campaign.returnPolicy === 'none') return null;
  if ((await manager.query(RETURNED_ALREADY, [source.sourceKey])).length > 0) return null;
  const [amount]: SourceAmount[] = source.runId
    ? await manager.query(EXPIRY_AMOUNT, [source.runId, source.roundId])
    : await manager.query(UNCLAIMED_AMOUNT, [source.roundId]);
  if (!amount || amount.vouchers <= 0) return null;

  const kind = source.runId ? 'expiry' : 'round_close';
  const valueFen = Number(amount.valueFen);
  let destination: PoolReturnDestination = campaign.returnPolicy;
  let target: { id: string; publicId: string } | undefined;
  if (destination === 'next_round') {
    if (campaign.status !== 'ended') {
      [target] = await manager.query(TARGET_ROUND, [source.campaignId, amount.voucherTypeId, source.roundId, amount.opensAt]);
    }
    if (!target) destination = 'kept';
  }
  // What the admission state's budget must gain: expired vouchers' value spent it, and a later
  // round takes it back; a closed round's stock never spent it, and the program takes it away.
  const redisBudgetFen =
    kind === 'expiry' && destination === 'next_round' ? valueFen : kind === 'round_close' && destination === 'program_budget' ? -valueFen : 0;
  const redisStock = destination === 'next_round' ? amount.vouchers : 0;
  const publicId = newPublicId();
  const inserted: Array<{ id: string; cityFen: string; districtFen: string }> = await manager.query(INSERT_RETURN, [
    publicId,
    source.sourceKey,
    kind,
    source.runId,
    source.roundId,
    source.campaignId,
    amount.voucherTypeId,
    destination,
    target?.id ?? null,
    amount.vouchers,
    valueFen,
    campaign.cityShareBp,
    redisStock,
    redisBudgetFen,
  ]);
  if (inserted.length === 0) return null;

  if (target) await manager.query(RAISE_ROUND, [target.id, amount.vouchers]);
  if (kind === 'round_close') await manager.query(LOWER_ROUND, [source.roundId, amount.vouchers]);
  if (destination === 'program_budget') await manager.query(HAND_BACK_BUDGET, [source.campaignId, valueFen]);

  const [figures] = await manager.query(CAMPAIGN_BUDGET_FIGURES, [source.campaignId]);
  const problems = campaignBudgetProblems({
    budgetFen: Number(figures.budgetFen),
    returnedFen: Number(figures.returnedFen),
    handedBackFen: Number(figures.handedBackFen),
    liveFen: Number(figures.liveFen),
  });
  if (problems.length > 0) throw new BudgetImbalance(source.sourceKey, problems);

  const recorded: RecordedReturn = {
    id: publicId,
    source: kind,
    sourceKey: source.sourceKey,
    campaignId: campaign.publicId,
    sourceRoundId: amount.roundPublicId,
    expiryRunId: amount.runPublicId,
    destination,
    targetRoundId: target?.publicId ?? null,
    vouchers: amount.vouchers,
    valueFen,
    cityFen: Number(inserted[0].cityFen),
    districtFen: Number(inserted[0].districtFen),
  };
  await recordAudit(manager, {
    actorId: 'issuance-worker',
    actorRole: 'system',
    action: 'pool_return.recorded',
    targetType: 'campaign',
    targetId: campaign.publicId,
    detail: { ...recorded, budgetFenAfter: Number(figures.budgetFen) },
  });
  // What its Redis step needs, so that it can run as soon as this commits.
  const redis: PendingRedisReturn = {
    id: inserted[0].id,
    publicId,
    campaignPublicId: campaign.publicId,
    sourceRoundPublicId: amount.roundPublicId,
    targetRoundPublicId: target?.publicId ?? null,
    redisStock,
    redisBudgetFen: String(redisBudgetFen),
    sourceStock: kind === 'round_close' ? -amount.vouchers : 0,
    buckets: amount.stockBuckets,
  };
  return { recorded, redis };
}
