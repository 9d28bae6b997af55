import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { AdmissionExpiry } from '../claims/admission-expiry';
import { AdmissionLoader } from '../claims/admission-loader';
import { AdmissionStore } from '../claims/admission.store';
import { CampaignErrorCode } from './campaign-errors';
import { CampaignStatus, canMove, PUBLISHED_STATUSES } from './campaign-states';
import { TransitionDto } from './create-campaign.dto';

/**
 * Moves a campaign along its life with the allowed moves only; each move is audited in the
 * same transaction. Postgres is changed first, then the admission state in Redis follows.
 */
@Injectable()
export class TransitionCampaign {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AdmissionLoader) private readonly loader: AdmissionLoader,
    @Inject(AdmissionStore) private readonly admission: AdmissionStore,
    @Inject(AdmissionExpiry) private readonly expiry: AdmissionExpiry,
  ) {}

  async execute(official: AuthUser, campaignId: string, dto: TransitionDto, requestId: string | null): Promise<{ id: string; status: string }> {
    const from = await this.db.transaction(async (manager) => {
      const rows: Array<{ status: CampaignStatus; districts: string[] }> = await manager.query(
        'SELECT status, districts FROM campaigns WHERE public_id = $1 FOR UPDATE',
        [campaignId],
      );
      if (rows.length === 0) throw AppError.notFound(CampaignErrorCode.CampaignNotFound, 'No such campaign');
      const { status, districts } = rows[0];
      if (official.district && (districts.length !== 1 || districts[0] !== official.district)) {
        // Out of scope reads as not found: a district official learns nothing of other districts.
        throw AppError.notFound(CampaignErrorCode.CampaignNotFound, 'No such campaign');
      }
      if (!canMove(status, dto.to)) {
        throw AppError.conflict(CampaignErrorCode.InvalidTransition, `A ${status} campaign cannot become ${dto.to}`, {
          from: status,
          to: dto.to,
        });
      }
      await manager.query('UPDATE campaigns SET status = $2, updated_at = now() WHERE public_id = $1', [campaignId, dto.to]);
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
    await this.admission.setStatus(campaignId, dto.to);
    if (PUBLISHED_STATUSES.includes(dto.to) !== PUBLISHED_STATUSES.includes(from)) {
      // Published: the state is loaded and lives as long as the rounds. Ended: it goes a day later.
      await this.loader.ensureLoaded(campaignId);
      await this.expiry.afterMove(campaignId);
    }
    return { id: campaignId, status: dto.to };
  }
}
