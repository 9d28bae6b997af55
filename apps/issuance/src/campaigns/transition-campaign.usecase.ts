import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { Campaign, recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { AdmissionLoader } from '../claims/admission-loader';
import { AdmissionSync } from '../claims/admission-sync';
import { inOfficialScope } from './campaign-rules';
import { CampaignStatus, canMove, PUBLISHED_STATUSES } from './campaign-states';
import { TransitionDto, TransitionView } from './create-campaign.dto';

/** How long a move waits for a rebuild or sync of the same campaign before leaving it to the watch. */
const FOLLOW_WAITS_MS = 10_000;

/**
 * Moves a campaign along its life with the allowed moves only; each move is audited in the
 * same transaction. Postgres is changed first, then the admission state in Redis follows
 * (AdmissionSync); if that half fails, the move stands and the watch repairs Redis within seconds.
 */
@Injectable()
export class TransitionCampaign {
  private readonly logger = new Logger(TransitionCampaign.name);

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
    @Inject(AdmissionSync) private readonly sync: AdmissionSync,
  ) {}

  async execute(official: AuthUser, campaignId: string, dto: TransitionDto, requestId: string | null): Promise<TransitionView> {
    const from = await this.db.transaction(async (manager) => {
      // The statuses in the table are those of CampaignStatus: only this use case and creation write them.
      const rows: Array<Pick<Campaign, 'id' | 'districts'> & { status: CampaignStatus }> = await manager
        .createQueryBuilder(Campaign, 'c')
        .select('c.id', 'id')
        .addSelect('c.status', 'status')
        .addSelect('c.districts', 'districts')
        .where('c.publicId = :campaignId', { campaignId })
        .setLock('pessimistic_write')
        .getRawMany();
      if (rows.length === 0) throw new AppError(CommonErrorCode.CampaignNotFound, 'No such campaign');
      const { id, status, districts } = rows[0];
      if (!inOfficialScope(official, districts)) {
        // Out of scope reads as not found: a district official learns nothing of other districts.
        throw new AppError(CommonErrorCode.CampaignNotFound, 'No such campaign');
      }
      if (!canMove(status, dto.to)) {
        throw new AppError(CommonErrorCode.InvalidTransition, `A ${status} campaign cannot become ${dto.to}`, {
          from: status,
          to: dto.to,
        });
      }
      await manager.update(Campaign, { id }, { status: dto.to });
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'campaign.transition',
        targetType: 'campaign',
        targetId: campaignId,
        detail: { from: status, to: dto.to, reason: dto.reason ?? null },
        requestId,
      });
      return status;
    });
    try {
      if (PUBLISHED_STATUSES.includes(dto.to) && !PUBLISHED_STATUSES.includes(from)) await this.loader.ensureLoaded(campaignId);
      if (!(await this.sync.follow(campaignId, FOLLOW_WAITS_MS))) this.logger.warn(`campaign ${campaignId} moved; its admission state follows on the watch's next tick`);
    } catch (error) {
      this.logger.error({ err: error }, `campaign ${campaignId} moved; its admission state follows on the watch's next tick`);
    }
    return { id: campaignId, status: dto.to };
  }
}
