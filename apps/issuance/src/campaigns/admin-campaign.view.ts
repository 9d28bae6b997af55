import { VoucherTypeFields } from './voucher-type.view';
import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES, Fen } from '@vouchers/common';
import { AuditEntry, Campaign, RETURN_POLICIES, ReturnPolicy } from '@vouchers/database';
import { CAMPAIGN_STATUSES } from './campaign-states';
import { PARTIAL_REFUND_POLICIES } from './create-campaign.dto';

/** A campaign as officials list it, drafts included. */
export class AdminCampaignSummaryView {
  @ApiProperty({ description: 'Public id of the campaign' })
  id: string;

  @ApiProperty({ example: '宁波消费券 · 餐饮' })
  name: string;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true })
  categories: string[];

  @ApiProperty({ enum: DISTRICT_CODES, isArray: true, description: 'Empty: the whole city' })
  districts: string[];

  @ApiProperty({ type: 'integer', example: 300_000_000, description: 'Budget in fen' })
  budgetFen: Fen;

  @ApiProperty({ example: 5000, description: "The city's share of each subsidy in basis points; the district pays the rest" })
  cityShareBp: number;

  @ApiProperty({ example: 2, description: 'Vouchers one person may hold in this campaign (one per round)' })
  perPersonLimit: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Days a voucher stays valid after its claim' })
  validityDays: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'A fixed last moment of validity (UTC)' })
  validUntil: string | null;

  @ApiProperty({ description: "Whether unused value returns to a later round (returnPolicy next_round): the field's older form" })
  returnsToPool: boolean;

  @ApiProperty({ enum: RETURN_POLICIES, description: 'Where the value of expired and unclaimed vouchers goes (回流)' })
  returnPolicy: ReturnPolicy;

  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'Budget in fen handed back to the program by returns (program_budget); budgetFen + returnedFen is the budget it was created with',
  })
  returnedFen: Fen;

  @ApiProperty({ enum: PARTIAL_REFUND_POLICIES })
  partialRefundPolicy: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The last change of the campaign row (a status move, say)' })
  updatedAt: string;
}

export class AdminCampaignPageView {
  @ApiProperty({ type: [AdminCampaignSummaryView] })
  items: AdminCampaignSummaryView[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  nextCursor: string | null;
}

/** A round with its stock: Postgres' figures, the record, and the admission state's, the grab's live one. */
export class AdminRoundView {
  @ApiProperty({ description: 'Public id of the round' })
  id: string;

  @ApiProperty({ type: String, format: 'date-time' })
  opensAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closesAt: string | null;

  @ApiProperty({ description: 'Vouchers the round gives out in all' })
  quantity: number;

  @ApiProperty({ type: 'integer', example: 1, description: "Hot-stock buckets: the parts its stock is split into in the admission state (1: one stock key)" })
  stockBuckets: number;

  @ApiProperty({ description: 'Postgres (the record): vouchers of this round saved, counted by trigger as each claim commits' })
  issued: number;

  @ApiProperty({ description: 'Postgres (the record): quantity less issued' })
  remaining: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      "Redis (the admission state the grab decides by): what is left to grab now. It also counts grabs admitted whose voucher " +
      'is not saved yet, so it can be below remaining for a moment. null when the state is not loaded (a draft or ended campaign, ' +
      'or one being rebuilt) or Redis did not answer: see admission',
  })
  admissionStock: number | null;
}

export class AdminVoucherTypeView extends VoucherTypeFields {
  @ApiProperty({ type: [AdminRoundView], description: 'By opening time' })
  rounds: AdminRoundView[];
}

/** One move of the campaign's status, from the audit log: its creation (from null to draft) and every transition. */
export class CampaignStatusChangeView {
  @ApiProperty({ enum: CAMPAIGN_STATUSES, nullable: true, description: 'null for the creation' })
  from: string | null;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  to: string;

  @ApiProperty({ type: String, nullable: true, description: 'The reason given with the move, if any' })
  reason: string | null;

  @ApiProperty({ description: 'Public id of the official who made the move' })
  by: string;

  @ApiProperty({ type: String, nullable: true, description: "The official's name (null for an actor that is no official's account)", example: '市商务局 王' })
  byName: string | null;

  @ApiProperty({ example: 'commerce_official' })
  byRole: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at: string;
}

export const ADMISSION_STATES = ['loaded', 'not_loaded', 'unavailable'] as const;
export type AdmissionStateOfRead = (typeof ADMISSION_STATES)[number];

export class AdminCampaignView extends AdminCampaignSummaryView {
  @ApiProperty({
    enum: ADMISSION_STATES,
    description:
      "Where the rounds' admissionStock came from: loaded (Redis holds the campaign's admission state), not_loaded (it holds " +
      'none: drafts and ended campaigns have none; a published one is rebuilt within seconds), unavailable (Redis did not answer ' +
      'in time; the Postgres figures stand alone)',
  })
  admission: AdmissionStateOfRead;

  @ApiProperty({ type: [AdminVoucherTypeView], description: 'Cheapest threshold first' })
  voucherTypes: AdminVoucherTypeView[];

  @ApiProperty({
    type: [CampaignStatusChangeView],
    description: 'Newest first, at most the latest 100 (all of them in the audit trail, GET /v1/audit/entries on the settlement app)',
  })
  statusHistory: CampaignStatusChangeView[];
}

export function adminCampaignSummaryOf(campaign: Campaign): AdminCampaignSummaryView {
  return {
    id: campaign.publicId,
    name: campaign.name,
    status: campaign.status,
    categories: campaign.categories,
    districts: campaign.districts,
    budgetFen: campaign.budgetFen,
    cityShareBp: campaign.cityShareBp,
    perPersonLimit: campaign.perPersonLimit,
    validityDays: campaign.validityDays,
    validUntil: campaign.validUntil?.toISOString() ?? null,
    returnsToPool: campaign.returnPolicy === 'next_round',
    returnPolicy: campaign.returnPolicy,
    returnedFen: campaign.returnedFen,
    partialRefundPolicy: campaign.partialRefundPolicy,
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

/**
 * A campaign.create or campaign.transition entry as a status change (their writers record
 * { from, to, reason }); `names`: officials' names by public id (officialNames).
 */
export function statusChangeOf(entry: AuditEntry, names: ReadonlyMap<string, string>): CampaignStatusChangeView {
  const detail = entry.detail as { from?: string; to?: string; reason?: string | null };
  const created = entry.action === 'campaign.create';
  return {
    from: created ? null : (detail.from ?? null),
    to: created ? 'draft' : String(detail.to),
    reason: detail.reason ?? null,
    by: entry.actorId,
    byName: names.get(entry.actorId) ?? null,
    byRole: entry.actorRole,
    at: entry.at.toISOString(),
  };
}
