// The shapes the H5 reads from the issuance and merchant apps (their views, as JSON).
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RoundView {
  id: string;
  opensAt: string;
  closesAt: string | null;
  quantity: number;
  remaining: number;
  kind: 'grab' | 'lottery';
  signupOpensAt: string | null;
  signupClosesAt: string | null;
}

export interface VoucherTypeView {
  id: string;
  name: string;
  faceValueFen: number;
  thresholdFen: number;
  rounds: RoundView[];
}

export interface CampaignView {
  id: string;
  name: string;
  status: string;
  categories: string[];
  districts: string[];
  perPersonLimit: number;
  validityDays: number | null;
  validUntil: string | null;
  voucherTypes: VoucherTypeView[];
}

export interface VoucherView {
  id: string;
  campaignId: string;
  campaignName: string;
  roundId: string;
  voucherTypeName: string;
  faceValueFen: number;
  thresholdFen: number;
  categories: string[];
  districts: string[];
  status: 'claimed' | 'redeemed' | 'expired';
  claimedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
}

export interface CheckoutCodeView {
  voucherId: string;
  code: string;
  expiresAt: string;
}

export interface UsableMerchant {
  id: string;
  shopName: string;
  district: string;
  category: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  distanceM: number | null;
}

export interface LotteryView {
  roundId: string;
  quantity: number;
  signupOpensAt: string;
  signupClosesAt: string;
  commitment: string;
  /** Where the draw's public value is read (开奖依据): published with the commitment, never changed. */
  publicValueSource: string;
  salt: string;
  stage: 'signup_pending' | 'signup_open' | 'signup_closed' | 'frozen' | 'value_agreed' | 'drawn';
  /** Only an active campaign takes sign-ups and is drawn; a paused one keeps its entries and is drawn once resumed. */
  campaignStatus: 'scheduled' | 'active' | 'paused' | 'ended';
}

export interface MyEntryView {
  roundId: string;
  entryHash: string;
  commitment: string;
  status: 'pending' | 'won' | 'skipped' | 'not_drawn';
  skipReason: string | null;
  voucherId: string | null;
}

export interface ResultsFileView {
  roundId: string;
  quantity: number;
  commitment: string;
  seed: string;
  publicValue: string;
  publicValueSource: string;
  winners: Array<{ rank: number; entryHash: string }>;
  drawnAt: string;
}
