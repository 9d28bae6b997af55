import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { CampaignErrorCode } from './campaign-errors';
import { campaignRuleViolation, cityShareOf } from './campaign-rules';
import { CreateCampaignDto, CreatedCampaignView } from './create-campaign.dto';

/** Serialises the program-wide budget check: two campaigns created at once cannot both squeeze under the cap. */
const PROGRAM_BUDGET_LOCK = 7_203_614_003;

/** Creates a campaign in draft, with its voucher types and rounds, within the campaign's and the program's budget. */
@Injectable()
export class CreateCampaign {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute(official: AuthUser, dto: CreateCampaignDto, requestId: string | null): Promise<CreatedCampaignView> {
    const violation = campaignRuleViolation(dto, official);
    if (violation) throw violation;
    const cityShareBp = cityShareOf(dto, official, this.config.districtCampaignCityShareBp);
    const campaignId = newPublicId();
    await this.db.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PROGRAM_BUDGET_LOCK]);
      const [{ total }]: Array<{ total: string }> = await manager.query('SELECT COALESCE(sum(budget_fen), 0) AS total FROM campaigns');
      if (BigInt(total) + BigInt(dto.budgetFen) > BigInt(this.config.annualBudgetFen)) {
        throw new AppError(CampaignErrorCode.ProgramBudgetExceeded, "The campaign would take the program past its annual budget", {
          programBudgetFen: this.config.annualBudgetFen,
          committedFen: Number(total),
        });
      }
      const [campaign]: Array<{ id: string }> = await manager.query(
        `INSERT INTO campaigns (public_id, name, categories, districts, budget_fen, city_share_bp, validity_days, valid_until,
                                per_person_limit, returns_to_pool, partial_refund_policy, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft') RETURNING id`,
        [
          campaignId,
          dto.name,
          dto.categories,
          dto.districts,
          dto.budgetFen,
          cityShareBp,
          dto.validityDays ?? null,
          dto.validUntil ?? null,
          dto.perPersonLimit,
          dto.returnsToPool,
          dto.partialRefundPolicy ?? 'reverse_below_threshold',
        ],
      );
      for (const type of dto.voucherTypes) {
        const [row]: Array<{ id: string }> = await manager.query(
          `INSERT INTO voucher_types (public_id, campaign_id, name, face_value_fen, threshold_fen) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [newPublicId(), campaign.id, type.name, type.faceValueFen, type.thresholdFen],
        );
        await manager.query(
          `INSERT INTO rounds (public_id, campaign_id, voucher_type_id, opens_at, closes_at, quantity)
           SELECT unnest($1::uuid[]), $2, $3, unnest($4::timestamptz[]), unnest($5::timestamptz[]), unnest($6::int[])`,
          [
            type.rounds.map(() => newPublicId()),
            campaign.id,
            row.id,
            type.rounds.map((r) => r.opensAt),
            type.rounds.map((r) => r.closesAt ?? null),
            type.rounds.map((r) => r.quantity),
          ],
        );
      }
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'campaign.create',
        targetType: 'campaign',
        targetId: campaignId,
        detail: { name: dto.name, budgetFen: dto.budgetFen, cityShareBp, cityShareFrom: official.district ? 'city_setting' : 'official' },
        requestId,
      });
    });
    return { id: campaignId, cityShareBp };
  }
}
