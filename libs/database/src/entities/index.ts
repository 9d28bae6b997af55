import { AuditEntry } from './audit-entry.entity';
import { Campaign } from './campaign.entity';
import { CampaignAdmission } from './campaign-admission.entity';
import { Clawback } from './clawback.entity';
import { DistrictTarget } from './district-target.entity';
import { FiguresDay } from './figures-day.entity';
import { FiguresParty } from './figures-party.entity';
import { FiguresPartyCount } from './figures-party-count.entity';
import { FiguresPartyPeriod } from './figures-party-period.entity';
import { FiguresPeriodTotal } from './figures-period-total.entity';
import { ExpiryRun } from './expiry-run.entity';
import { ExpiryRunChunk } from './expiry-run-chunk.entity';
import { ExpiryRunSpan } from './expiry-run-span.entity';
import { ExpiryRunTotal } from './expiry-run-total.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { LotteryDraw } from './lottery-draw.entity';
import { LotteryEntry } from './lottery-entry.entity';
import { LotteryOutcome } from './lottery-outcome.entity';
import { LotterySeed } from './lottery-seed.entity';
import { Merchant } from './merchant.entity';
import { MerchantBankAccountChange } from './merchant-bank-account-change.entity';
import { MerchantStaff } from './merchant-staff.entity';
import { Official } from './official.entity';
import { PoolReturn } from './pool-return.entity';
import { Redemption } from './redemption.entity';
import { RedemptionKey } from './redemption-key.entity';
import { RefreshToken } from './refresh-token.entity';
import { Refund } from './refund.entity';
import { Resident } from './resident.entity';
import { ResidentConsent } from './resident-consent.entity';
import { ResidentNotice } from './resident-notice.entity';
import { Round } from './round.entity';
import { SettlementBatch } from './settlement-batch.entity';
import { SettlementChunk } from './settlement-chunk.entity';
import { SettlementLine } from './settlement-line.entity';
import { Voucher } from './voucher.entity';
import { VoucherKey } from './voucher-key.entity';
import { VoucherType } from './voucher-type.entity';

export {
  AuditEntry,
  Campaign,
  CampaignAdmission,
  Clawback,
  DistrictTarget,
  FiguresDay,
  FiguresParty,
  FiguresPartyCount,
  FiguresPartyPeriod,
  FiguresPeriodTotal,
  ExpiryRun,
  ExpiryRunChunk,
  ExpiryRunSpan,
  ExpiryRunTotal,
  LedgerEntry,
  LotteryDraw,
  LotteryEntry,
  LotteryOutcome,
  LotterySeed,
  Merchant,
  MerchantBankAccountChange,
  MerchantStaff,
  Official,
  PoolReturn,
  Redemption,
  RedemptionKey,
  RefreshToken,
  Refund,
  Resident,
  ResidentConsent,
  ResidentNotice,
  Round,
  SettlementBatch,
  SettlementChunk,
  SettlementLine,
  Voucher,
  VoucherKey,
  VoucherType,
};
export { fenColumn, fenTransformer, timestampColumn } from './columns';
export { ACCOUNT_KINDS } from './refresh-token.entity';
export { LOTTERY_OUTCOMES } from './lottery-outcome.entity';
export type { LotteryOutcomeKind } from './lottery-outcome.entity';
export { ROUND_KINDS } from './round.entity';
export { RETURN_POLICIES } from './campaign.entity';
export type { ReturnPolicy } from './campaign.entity';
export { POOL_RETURN_DESTINATIONS, POOL_RETURN_SOURCES } from './pool-return.entity';
export type { PoolReturnDestination, PoolReturnSource } from './pool-return.entity';
export type { RoundKind } from './round.entity';
export type { AccountKind } from './refresh-token.entity';

export const ENTITIES = [
  AuditEntry,
  Campaign,
  CampaignAdmission,
  Clawback,
  DistrictTarget,
  FiguresDay,
  FiguresParty,
  FiguresPartyCount,
  FiguresPartyPeriod,
  FiguresPeriodTotal,
  ExpiryRun,
  ExpiryRunChunk,
  ExpiryRunSpan,
  ExpiryRunTotal,
  LedgerEntry,
  LotteryDraw,
  LotteryEntry,
  LotteryOutcome,
  LotterySeed,
  Merchant,
  MerchantBankAccountChange,
  MerchantStaff,
  Official,
  PoolReturn,
  Redemption,
  RedemptionKey,
  RefreshToken,
  Refund,
  Resident,
  ResidentConsent,
  ResidentNotice,
  Round,
  SettlementBatch,
  SettlementChunk,
  SettlementLine,
  Voucher,
  VoucherKey,
  VoucherType,
];
