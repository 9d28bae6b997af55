import { CoreSchema1795765927560 } from './1795765927560-core-schema';
import { GrabAdmission1795767618484 } from './1795767618484-grab-admission';
import { ResidentSessions1795767704392 } from './1795767704392-resident-sessions';
import { MerchantListingIndexes1795770367817 } from './1795770367817-merchant-listing-indexes';
import { MerchantStaffPhone1795770770238 } from './1795770770238-merchant-staff-phone';
import { CheckoutRedemptions1795776577658 } from './1795776577658-checkout-redemptions';
import { SettlementBatches1795776909610 } from './1795776909610-settlement-batches';
import { LedgerAppendOnly1795782208371 } from './1795782208371-ledger-append-only';
import { VoucherParentsKept1795790000000 } from './1795790000000-voucher-parents-kept';
import { DropVoucherResidentClaimedIndex1795800000000 } from './1795800000000-drop-voucher-resident-claimed-index';
import { RoundIssuedBackstop1795810000000 } from './1795810000000-round-issued-backstop';
import { MerchantBankAccountChanges1796239770552 } from './1796239770552-merchant-bank-account-changes';
import { CityPartFunction1796300000000 } from './1796300000000-city-part-function';
import { AuditTrailIndexes1796311700000 } from './1796311700000-audit-trail-indexes';
import { AccountSessions1796400000000 } from './1796400000000-account-sessions';
import { BatchReviewStep1796410000000 } from './1796410000000-batch-review-step';
import { OfficialCredentials1796500000000 } from './1796500000000-official-credentials';
import { ExpiryRuns1796510000000 } from './1796510000000-expiry-runs';
import { LotteryRounds1796523000000 } from './1796523000000-lottery-rounds';
import { FiguresRollup1796600000000 } from './1796600000000-figures-rollup';
import { PoolReturns1796700000000 } from './1796700000000-pool-returns';
import { FiguresPartyCounts1796710000000 } from './1796710000000-figures-party-counts';
import { FiguresPeriodTotals1796720000000 } from './1796720000000-figures-period-totals';
import { RoundStockBuckets1796730000000 } from './1796730000000-round-stock-buckets';
import { PartitionedHistory1796740000000 } from './1796740000000-partitioned-history';
import { PartitionedVouchers1796750000000 } from './1796750000000-partitioned-vouchers';
import { ExpiryRunSpans1796760000000 } from './1796760000000-expiry-run-spans';
import { VouchersNotTruncated1796770000000 } from './1796770000000-vouchers-not-truncated';
import { ArchiveCampaignPartition1796780000000 } from './1796780000000-archive-campaign-partition';
import { ExpiryDueIndex1796790000000 } from './1796790000000-expiry-due-index';
import { RedemptionKeysBusinessDate1796800000000 } from './1796800000000-redemption-keys-business-date';
import { BatchAdjusters1796810000000 } from './1796810000000-batch-adjusters';
import { MerchantPlaceAtRedemption1796820000000 } from './1796820000000-merchant-place-at-redemption';
import { MerchantStaffTokenVersion1796830000000 } from './1796830000000-merchant-staff-token-version';
import { BankAccountChangesByMerchant1796840000000 } from './1796840000000-bank-account-changes-by-merchant';
import { LotteryPublicValueSource1796850000000 } from './1796850000000-lottery-public-value-source';
import { OfficialLastSignIn1796860000000 } from './1796860000000-official-last-sign-in';
import { ResidentPhoneChange1796870000000 } from './1796870000000-resident-phone-change';
import { ResidentNotices1796880000000 } from './1796880000000-resident-notices';
import { ResidentClosing1796890000000 } from './1796890000000-resident-closing';
import { ResidentConsents1796900000000 } from './1796900000000-resident-consents';
import { ResidentNoticesSending1796910000000 } from './1796910000000-resident-notices-sending';
import { LotteryWonNotices1796920000000 } from './1796920000000-lottery-won-notices';
import { LotteryDrawNoticesDecided1796930000000 } from './1796930000000-lottery-draw-notices-decided';

/** Every migration, in order. `npm run build && npm run db:generate -- Name` writes a new one; add it here. */
export const MIGRATIONS = [
  CoreSchema1795765927560,
  GrabAdmission1795767618484,
  ResidentSessions1795767704392,
  MerchantListingIndexes1795770367817,
  MerchantStaffPhone1795770770238,
  CheckoutRedemptions1795776577658,
  SettlementBatches1795776909610,
  LedgerAppendOnly1795782208371,
  VoucherParentsKept1795790000000,
  DropVoucherResidentClaimedIndex1795800000000,
  RoundIssuedBackstop1795810000000,
  MerchantBankAccountChanges1796239770552,
  CityPartFunction1796300000000,
  AuditTrailIndexes1796311700000,
  AccountSessions1796400000000,
  BatchReviewStep1796410000000,
  OfficialCredentials1796500000000,
  ExpiryRuns1796510000000,
  LotteryRounds1796523000000,
  FiguresRollup1796600000000,
  PoolReturns1796700000000,
  FiguresPartyCounts1796710000000,
  FiguresPeriodTotals1796720000000,
  RoundStockBuckets1796730000000,
  PartitionedHistory1796740000000,
  PartitionedVouchers1796750000000,
  ExpiryRunSpans1796760000000,
  VouchersNotTruncated1796770000000,
  ArchiveCampaignPartition1796780000000,
  ExpiryDueIndex1796790000000,
  RedemptionKeysBusinessDate1796800000000,
  BatchAdjusters1796810000000,
  MerchantPlaceAtRedemption1796820000000,
  MerchantStaffTokenVersion1796830000000,
  BankAccountChangesByMerchant1796840000000,
  LotteryPublicValueSource1796850000000,
  OfficialLastSignIn1796860000000,
  ResidentPhoneChange1796870000000,
  ResidentNotices1796880000000,
  ResidentClosing1796890000000,
  ResidentConsents1796900000000,
  ResidentNoticesSending1796910000000,
  LotteryWonNotices1796920000000,
  LotteryDrawNoticesDecided1796930000000,
];
