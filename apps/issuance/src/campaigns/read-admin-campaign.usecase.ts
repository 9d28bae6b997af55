import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode, isPublicId, withTimeout } from '@vouchers/common';
import { auditHistoryOf, Campaign, officialNames, Round, VoucherType } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { AdmissionStore } from '../claims/admission.store';
import { adminCampaignSummaryOf, AdminCampaignView, AdmissionStateOfRead, AdminVoucherTypeView, statusChangeOf } from './admin-campaign.view';
import { inOfficialScope } from './campaign-rules';

/** The longest the read waits for Redis' stock figures before answering with Postgres' alone. */
const ADMISSION_READ_MS = 500;

/** The audit actions that move a campaign's status: its creation (as draft) and its transitions. */
const STATUS_ACTIONS = ['campaign.create', 'campaign.transition'] as const;

interface LiveStock {
  admission: AdmissionStateOfRead;
  /** By round public id; absent when the admission state gave no figure. */
  stock: Map<string, number>;
}

/**
 * One campaign as officials read it back: its settings, voucher types and rounds, each round's
 * stock from Postgres (the record) and from Redis (the grab's live figure, when Redis answers;
 * the read never fails for want of it), and its status history from the audit log.
 */
@Injectable()
export class ReadAdminCampaign {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AdmissionStore) private readonly admission: AdmissionStore,
  ) {}

  async execute(official: AuthUser, campaignId: string): Promise<AdminCampaignView> {
    const campaign = isPublicId(campaignId) ? await this.db.manager.findOneBy(Campaign, { publicId: campaignId }) : null;
    // Out of scope reads as not found, as the moves do: a district official learns nothing of other districts.
    if (!campaign || !inOfficialScope(official, campaign.districts)) throw new AppError(CommonErrorCode.CampaignNotFound, 'No such campaign');
    const [types, rounds, history] = await Promise.all([
      this.db.manager.find(VoucherType, { where: { campaignId: campaign.id }, order: { thresholdFen: 'ASC', id: 'ASC' } }),
      this.db.manager.find(Round, { where: { campaignId: campaign.id }, order: { opensAt: 'ASC', id: 'ASC' } }),
      auditHistoryOf(this.db.manager, 'campaign', campaign.publicId, STATUS_ACTIONS),
    ]);
    const buckets = Math.max(1, ...rounds.map((round) => round.stockBuckets));
    const live = await this.liveStock(campaign.publicId, rounds.map((round) => round.publicId), buckets);
    const voucherTypes: AdminVoucherTypeView[] = types.map((type) => ({
      id: type.publicId,
      name: type.name,
      faceValueFen: type.faceValueFen,
      thresholdFen: type.thresholdFen,
      rounds: rounds
        .filter((round) => round.voucherTypeId === type.id)
        .map((round) => ({
          id: round.publicId,
          opensAt: round.opensAt.toISOString(),
          closesAt: round.closesAt?.toISOString() ?? null,
          quantity: round.quantity,
          stockBuckets: round.stockBuckets,
          issued: round.issued,
          remaining: round.quantity - round.issued,
          admissionStock: live.stock.get(round.publicId) ?? null,
        })),
    }));
    const names = await officialNames(this.db.manager, history.map((entry) => entry.actorId));
    return {
      ...adminCampaignSummaryOf(campaign),
      admission: live.admission,
      voucherTypes,
      statusHistory: history.map((entry) => statusChangeOf(entry, names)),
    };
  }

  /** Redis' figures, or none: a Redis down or slow costs the read its live column, never the read. */
  private async liveStock(campaignId: string, roundIds: string[], buckets: number): Promise<LiveStock> {
    const unavailable: LiveStock = { admission: 'unavailable', stock: new Map() };
    const read = this.admission.stockOf(campaignId, roundIds, buckets).then(
      (figures): LiveStock => {
        const stock = new Map<string, number>();
        figures.forEach((figure, i) => figure !== null && stock.set(roundIds[i], figure));
        return { admission: stock.size > 0 ? 'loaded' : 'not_loaded', stock };
      },
      () => unavailable,
    );
    return withTimeout(read, ADMISSION_READ_MS, unavailable);
  }
}
