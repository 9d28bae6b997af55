import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, isPublicId } from '@vouchers/common';
import { Campaign } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { inOfficialScope } from '../campaigns/campaign-rules';
import { CAMPAIGN_LOTTERIES } from './lottery.sql';
import { AdminLotteryView, CampaignLotteriesView, OfficialLotteryStage } from './campaign-lotteries.view';

/** A row of CAMPAIGN_LOTTERIES. */
interface LotteryRow {
  round_id: string;
  voucher_type_id: string;
  quantity: number;
  signup_opens_at: Date;
  signup_closes_at: Date;
  commitment: string;
  public_value_source: string;
  frozen_at: Date | null;
  entrants_digest: string | null;
  entrants: number;
  proposed_value: string | null;
  proposed_by: string | null;
  proposed_by_name: string | null;
  proposed_at: Date | null;
  public_value: string | null;
  confirmed_by: string | null;
  confirmed_by_name: string | null;
  confirmed_at: Date | null;
  drawn_at: Date | null;
  published_at: Date | null;
  winners: number;
  skipped: number;
  told_sent: number;
  told_waiting: number;
  told_failed: number;
  told_unknown: number;
  before_signup: boolean;
  closed: boolean;
}

/**
 * A campaign's lottery rounds for the officials who run them, drafts included: what each has
 * published, who proposed and who confirmed its public value, and whether it was drawn. One
 * read for the campaign's page, which shows each round's state and the steps that make sense.
 * Out of the official's scope reads as not found, as the campaign's own read does.
 */
@Injectable()
export class CampaignLotteries {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, campaignId: string): Promise<CampaignLotteriesView> {
    const campaign = isPublicId(campaignId) ? await this.db.manager.findOneBy(Campaign, { publicId: campaignId }) : null;
    if (!campaign || !inOfficialScope(official, campaign.districts)) throw new AppError(CommonErrorCode.CampaignNotFound, 'No such campaign');
    const rows: LotteryRow[] = await this.db.query(CAMPAIGN_LOTTERIES, [campaign.id]);
    return { rounds: rows.map((row) => viewOf(row, official.sub)) };
  }
}

function stageOf(row: LotteryRow): OfficialLotteryStage {
  if (row.published_at !== null) return 'drawn';
  if (row.drawn_at !== null) return 'drawn_unpublished';
  if (row.public_value !== null) return 'value_agreed';
  if (row.proposed_value !== null) return 'value_proposed';
  if (row.before_signup) return 'signup_pending';
  return row.closed ? 'signup_closed' : 'signup_open';
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/**
 * `reader`: the official reading. A proposed public value is shown to its proposer only until
 * it is agreed: the confirming official enters it as they found it at the announced source
 * (LOTTERY.md), and a value on their screen would make that a click.
 */
function viewOf(row: LotteryRow, reader: string): AdminLotteryView {
  const published = row.published_at !== null;
  return {
    roundId: row.round_id,
    voucherTypeId: row.voucher_type_id,
    quantity: row.quantity,
    signupOpensAt: row.signup_opens_at.toISOString(),
    signupClosesAt: row.signup_closes_at.toISOString(),
    stage: stageOf(row),
    commitment: row.commitment,
    publicValueSource: row.public_value_source,
    entrants: row.entrants,
    frozenAt: iso(row.frozen_at),
    entrantsDigest: row.entrants_digest,
    proposedValue: row.public_value !== null || row.proposed_by === reader ? row.proposed_value : null,
    proposedBy: row.proposed_by,
    proposedByName: row.proposed_by_name,
    proposedAt: iso(row.proposed_at),
    publicValue: row.public_value,
    confirmedBy: row.confirmed_by,
    confirmedByName: row.confirmed_by_name,
    confirmedAt: iso(row.confirmed_at),
    drawnAt: iso(row.drawn_at),
    publishedAt: iso(row.published_at),
    winners: published ? row.winners : null,
    skipped: published ? row.skipped : null,
    winnersTold: published ? { sent: row.told_sent, waiting: row.told_waiting, failed: row.told_failed, unknown: row.told_unknown } : null,
  };
}
