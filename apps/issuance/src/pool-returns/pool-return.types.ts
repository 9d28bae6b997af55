import { PoolReturnDestination, PoolReturnSource } from '@vouchers/database';

/** A source of value to return (pool-returns.sql.ts): an expiry run's round, or a closed round. Ids internal. */
export interface ReturnSource {
  sourceKey: string;
  /** The expiry run; null for a closed round. */
  runId: string | null;
  roundId: string;
  campaignId: string;
}

/** A return as one call recorded it (public ids), for logs, metrics and tests. */
export interface RecordedReturn {
  id: string;
  source: PoolReturnSource;
  sourceKey: string;
  campaignId: string;
  sourceRoundId: string;
  expiryRunId: string | null;
  destination: PoolReturnDestination;
  targetRoundId: string | null;
  vouchers: number;
  valueFen: number;
  cityFen: number;
  districtFen: number;
}

/** A return whose Redis half is still to do (REDIS_PENDING). */
export interface PendingRedisReturn {
  id: string;
  publicId: string;
  campaignPublicId: string;
  sourceRoundPublicId: string;
  targetRoundPublicId: string | null;
  redisStock: number;
  redisBudgetFen: string;
  sourceStock: number;
  /** The campaign's stock buckets (its rounds' stockBuckets): the return is split among them. */
  buckets: number;
}

/** What return-stock.lua answered. */
export type ReturnStockReply = 'APPLIED' | 'ALREADY' | 'NOT_LOADED' | 'BUSY' | 'NO_ROUND';
