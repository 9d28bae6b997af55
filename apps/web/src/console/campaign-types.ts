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
  at: string;
}

export interface Campaign extends CampaignSummary {
  admission: 'loaded' | 'not_loaded' | 'unavailable';
  voucherTypes: VoucherType[];
  statusHistory: StatusChange[];
}
