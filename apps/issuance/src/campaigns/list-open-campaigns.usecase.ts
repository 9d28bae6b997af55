import { VoucherTypeFields } from './voucher-type.view';
import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, decodeIdCursor, DISTRICT_CODES, Fen, Page, toPage } from '@vouchers/common';
import { Campaign, Round, ROUND_KINDS, RoundKind, Voucher, VoucherType } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { AdmissionStore } from '../claims/admission.store';
import { PUBLISHED_STATUSES } from './campaign-states';
import { ListCampaignsQuery } from './list-campaigns.query';

export class RoundView {
  @ApiProperty({ description: 'Public id of the round', format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time', description: 'When the round opens (UTC)' })
  opensAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it stops admitting grabs; null: when its stock runs out' })
  closesAt: string | null;

  @ApiProperty({ type: 'integer', example: 100000, description: 'Vouchers the round gives out' })
  quantity: number;

  @ApiProperty({ type: 'integer', example: 42000, description: 'Live: what is left to grab now (0 for a lottery: its draw gives the vouchers)' })
  remaining: number;

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Hot-stock buckets: the parts its stock is split into (1: one). Sold out may be answered while at most this many vouchers remain in other parts, for a moment',
  })
  stockBuckets: number;

  @ApiProperty({ enum: ROUND_KINDS, description: 'grab, or lottery: sign up in its window (POST /v1/rounds/{roundId}/entries), then a draw' })
  kind: RoundKind;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "A lottery's sign-up opens (UTC); null for a grab" })
  signupOpensAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "A lottery's sign-up closes (UTC); null for a grab" })
  signupClosesAt: string | null;
}

export class VoucherTypeView extends VoucherTypeFields {
  @ApiProperty({ type: [RoundView], description: 'Its rounds, by opening time' })
  rounds: RoundView[];
}

export class CampaignView {
  @ApiProperty({ description: 'Public id of the campaign', format: 'uuid' })
  id: string;

  @ApiProperty({ example: '宁波消费券 · 餐饮' })
  name: string;

  @ApiProperty({ enum: [...PUBLISHED_STATUSES] })
  status: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true })
  categories: string[];

  @ApiProperty({ enum: DISTRICT_CODES, isArray: true, description: 'Empty: usable in the whole city' })
  districts: string[];

  @ApiProperty({ type: 'integer', example: 300_000_000, description: 'Budget in fen' })
  budgetFen: Fen;

  @ApiProperty({ type: 'integer', example: 2, description: 'Vouchers one person may hold in this campaign' })
  perPersonLimit: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 7, description: 'Days a voucher stays valid after its claim' })
  validityDays: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'A fixed last moment of validity (UTC)' })
  validUntil: string | null;

  @ApiProperty({ type: [VoucherTypeView], description: 'Cheapest threshold first' })
  voucherTypes: VoucherTypeView[];
}

/** Campaigns a resident can see without signing in: scheduled, active and paused ones, newest first, with live stock. */
@Injectable()
export class ListOpenCampaigns {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AdmissionStore) private readonly admission: AdmissionStore,
  ) {}

  async execute(query: ListCampaignsQuery): Promise<Page<CampaignView>> {
    const after = decodeIdCursor(query.cursor);
    const campaigns = this.db.manager
      .createQueryBuilder(Campaign, 'c')
      .where('c.status IN (:...published)', { published: PUBLISHED_STATUSES })
      .orderBy('c.publicId', 'DESC')
      .limit(query.limit + 1);
    if (after !== null) campaigns.andWhere('c.publicId < :after', { after });
    if (query.district !== undefined) campaigns.andWhere('(cardinality(c.districts) = 0 OR :district = ANY (c.districts))', { district: query.district });
    if (query.category !== undefined) campaigns.andWhere(':category = ANY (c.categories)', { category: query.category });
    const found = await campaigns.getMany();
    const served = found.slice(0, query.limit);
    const offered = await this.offeredIn(served.map((campaign) => campaign.id));
    const page = toPage(found, query.limit, (campaign) => [campaign.publicId], (campaign) => toView(campaign, offered.get(campaign.id) ?? []));
    await Promise.all(page.items.map((campaign) => this.fillRemaining(campaign)));
    return page;
  }

  /** The voucher types of these campaigns (by internal id), cheapest threshold first, each with its rounds by opening time. */
  private async offeredIn(campaignIds: string[]): Promise<Map<string, VoucherTypeView[]>> {
    if (campaignIds.length === 0) return new Map();
    const [types, rounds] = await Promise.all([
      this.db.manager
        .createQueryBuilder(VoucherType, 't')
        .where('t.campaignId IN (:...campaignIds)', { campaignIds })
        .orderBy('t.thresholdFen')
        .addOrderBy('t.id')
        .getMany(),
      this.db.manager
        .createQueryBuilder(Round, 'r')
        .where('r.campaignId IN (:...campaignIds)', { campaignIds })
        .orderBy('r.opensAt')
        .addOrderBy('r.id')
        .getMany(),
    ]);
    const offered = new Map<string, VoucherTypeView[]>();
    for (const type of types) {
      const view = {
        id: type.publicId,
        name: type.name,
        faceValueFen: type.faceValueFen,
        thresholdFen: type.thresholdFen,
        rounds: rounds.filter((round) => round.voucherTypeId === type.id).map(toRoundView),
      };
      offered.set(type.campaignId, [...(offered.get(type.campaignId) ?? []), view]);
    }
    return offered;
  }

  /** Remaining stock from the live admission state; from Postgres counts where it is not loaded. */
  private async fillRemaining(campaign: CampaignView): Promise<void> {
    const rounds = campaign.voucherTypes.flatMap((type) => type.rounds);
    const buckets = Math.max(1, ...rounds.map((round) => round.stockBuckets));
    const live = await this.admission.stockOf(campaign.id, rounds.map((round) => round.id), buckets).catch(() => rounds.map(() => null));
    const missing = rounds.filter((_, i) => live[i] === null).map((round) => round.id);
    const counted: Array<Pick<Round, 'publicId'> & { claimed: string }> =
      missing.length === 0
        ? []
        : await this.db.manager
            .createQueryBuilder(Round, 'r')
            .select('r.publicId', 'publicId')
            .addSelect((vouchers) => vouchers.select('count(*)').from(Voucher, 'v').where('v.roundId = r.id'), 'claimed')
            .where('r.publicId = ANY(:missing)', { missing })
            .getRawMany();
    const claimed = new Map(counted.map((row) => [row.publicId, Number(row.claimed)]));
    rounds.forEach((round, i) => {
      round.remaining = live[i] ?? Math.max(0, round.quantity - (claimed.get(round.id) ?? 0));
    });
  }
}

function toRoundView(round: Round): RoundView {
  return {
    id: round.publicId,
    opensAt: round.opensAt.toISOString(),
    closesAt: round.closesAt ? round.closesAt.toISOString() : null,
    quantity: round.quantity,
    remaining: round.quantity,
    stockBuckets: round.stockBuckets,
    kind: round.kind,
    signupOpensAt: round.signupOpensAt ? round.signupOpensAt.toISOString() : null,
    signupClosesAt: round.signupClosesAt ? round.signupClosesAt.toISOString() : null,
  };
}

function toView(campaign: Campaign, voucherTypes: VoucherTypeView[]): CampaignView {
  return {
    id: campaign.publicId,
    name: campaign.name,
    status: campaign.status,
    categories: campaign.categories,
    districts: campaign.districts,
    budgetFen: campaign.budgetFen,
    perPersonLimit: campaign.perPersonLimit,
    validityDays: campaign.validityDays,
    validUntil: campaign.validUntil ? campaign.validUntil.toISOString() : null,
    voucherTypes,
  };
}
