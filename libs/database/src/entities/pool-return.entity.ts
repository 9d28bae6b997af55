import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenColumn, timestampColumn } from './columns';

export const POOL_RETURN_SOURCES = ['expiry', 'round_close'] as const;
export type PoolReturnSource = (typeof POOL_RETURN_SOURCES)[number];

/** next_round: stock added to a later round; program_budget: the campaign's budget handed back; kept: no later round to take it. */
export const POOL_RETURN_DESTINATIONS = ['next_round', 'program_budget', 'kept'] as const;
export type PoolReturnDestination = (typeof POOL_RETURN_DESTINATIONS)[number];

/**
 * One return of unused value to the pool (回流, DESIGN §8): the vouchers an expiry run expired in
 * one round, or the stock a closed round left unclaimed, and where their value went. `sourceKey`
 * names the source once ("expiry:<run id>:<round id>" or "round:<round id>"), so a job run twice
 * records nothing twice. The row, the target round's raised quantity (or the campaign's lowered
 * budget) and the audit entry commit together; `redisStock` and `redisBudgetFen` are what the
 * admission state in Redis must be told (return-stock.lua, keyed by `publicId`), and
 * `redisAppliedAt` is set once it was (or needed not be).
 */
@Entity('pool_returns')
@Index('pool_returns_campaign_idx', ['campaignId'])
@Index('pool_returns_redis_pending_idx', ['id'], { where: '"redis_applied_at" IS NULL' })
@Check('pool_returns_amounts_check', '"vouchers" >= 0 AND "value_fen" >= 0 AND "city_fen" >= 0 AND "district_fen" >= 0')
@Check('pool_returns_split_check', '"city_fen" + "district_fen" = "value_fen"')
@Check(
  'pool_returns_destination_check',
  `("destination" = 'next_round' AND "target_round_id" IS NOT NULL AND "redis_stock" = "vouchers") OR ("destination" <> 'next_round' AND "target_round_id" IS NULL AND "redis_stock" = 0)`,
)
@Check('pool_returns_source_check', `("source" = 'expiry') = ("expiry_run_id" IS NOT NULL)`)
export class PoolReturn {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', unique: true })
  publicId: string;

  @Column({ type: 'varchar', length: 80, unique: true })
  sourceKey: string;

  @Column({ type: 'varchar', length: 16 })
  source: PoolReturnSource;

  @Column({ type: 'bigint', nullable: true })
  expiryRunId: string | null;

  @Column({ type: 'bigint' })
  sourceRoundId: string;

  @Column({ type: 'bigint' })
  campaignId: string;

  @Column({ type: 'bigint' })
  voucherTypeId: string;

  @Column({ type: 'varchar', length: 16 })
  destination: PoolReturnDestination;

  @Column({ type: 'bigint', nullable: true })
  targetRoundId: string | null;

  @Column({ type: 'integer' })
  vouchers: number;

  @Column(fenColumn())
  valueFen: number;

  /** The city's part of the value (city_part_fen with the campaign's share); the district's is the rest. */
  @Column(fenColumn())
  cityFen: number;

  @Column(fenColumn())
  districtFen: number;

  @Column({ type: 'integer' })
  redisStock: number;

  @Column(fenColumn())
  redisBudgetFen: number;

  @Column(timestampColumn({ default: () => 'now()' }))
  createdAt: Date;

  @Column(timestampColumn({ nullable: true }))
  redisAppliedAt: Date | null;
}
