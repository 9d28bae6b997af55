// What the issuance app's /v1/admin/campaigns answers (apps/issuance/src/campaigns), as the pages read it.
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** draft → scheduled → active ⇄ paused → ended, as campaign-states.ts allows. */
export const CAMPAIGN_MOVES: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['scheduled', 'ended'],
  scheduled: ['draft', 'active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  ended: [],
};

export interface CampaignSummary {
  id: string;
  name: string;
  status: CampaignStatus;
  categories: string[];
  districts: string[];
  budgetFen: number;
  cityShareBp: number;
  perPersonLimit: number;
  createdAt: string;
}

export interface Round {
  id: string;
  opensAt: string;
  closesAt: string | null;
  quantity: number;
  /** Hot-stock buckets the round's stock is split into (1: one stock key). */
  stockBuckets: number;
  issued: number;
  remaining: number;
  admissionStock: number | null;
}

export interface VoucherType {
  id: string;
  name: string;
  faceValueFen: number;
  thresholdFen: number;
  rounds: Round[];
}

export interface StatusChange {
  from: string | null;
  to: string;
  reason: string | null;
  by: string;
  /** The official's name; null for an actor that is no official's account. */
  byName: string | null;
  byRole: string;
  at: string;
}

export interface Campaign extends CampaignSummary {
  admission: 'loaded' | 'not_loaded' | 'unavailable';
  voucherTypes: VoucherType[];
  statusHistory: StatusChange[];
}

/** Where a lottery round stands (GET /v1/admin/campaigns/:id/lotteries, by the database's clock). */
export const LOTTERY_STAGES = ['signup_pending', 'signup_open', 'signup_closed', 'value_proposed', 'value_agreed', 'drawn_unpublished', 'drawn'] as const;
export type LotteryStage = (typeof LOTTERY_STAGES)[number];

/** A lottery round (摇号) as its officials follow it: apps/issuance/src/lottery/campaign-lotteries.view.ts. */
export interface AdminLottery {
  roundId: string;
  voucherTypeId: string;
  quantity: number;
  signupOpensAt: string;
  signupClosesAt: string;
  stage: LotteryStage;
  commitment: string;
  /** Where the public value is read (开奖依据): named at creation, never changed. */
  publicValueSource: string;
  entrants: number;
  frozenAt: string | null;
  entrantsDigest: string | null;
  proposedValue: string | null;
  proposedBy: string | null;
  proposedByName: string | null;
  proposedAt: string | null;
  publicValue: string | null;
  confirmedBy: string | null;
  confirmedByName: string | null;
  confirmedAt: string | null;
  drawnAt: string | null;
  publishedAt: string | null;
  winners: number | null;
  skipped: number | null;
  /** How the winners were told by SMS, once published. */
  winnersTold: { sent: number; waiting: number; failed: number; unknown: number } | null;
}

/** The published results of a draw (GET /v1/rounds/:id/lottery/results), as the page lists them. */
export interface LotteryResults {
  publicValue: string;
  publicValueSource: string;
  seed: string;
  winners: Array<{ rank: number; entryHash: string }>;
  skips: Array<{ rank: number; entryHash: string; reason: string }>;
  drawnAt: string;
}
