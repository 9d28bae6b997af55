import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, newPublicId } from '@vouchers/common';
import { AppConfig } from '@vouchers/config';
import { Campaign, ensureCampaignPartition, PARTITION_LOCK_WAIT_MS, recordAudit, ReturnPolicy, Round, VoucherType } from '@vouchers/database';
import { DataSource, InsertResult } from 'typeorm';
import { CampaignErrorCode } from './campaign-errors';
import { campaignRuleViolation, cityShareOf, returnPolicyOf } from './campaign-rules';
import { LOCK_PROGRAM_BUDGET } from './create-campaign.sql';
import { CreateCampaignDto, CreatedCampaignView } from './create-campaign.dto';
import { setUpLotteries } from '../lottery/lottery-setup';

/** Serialises the program-wide budget check: two campaigns created at once cannot both squeeze under the cap. */
const PROGRAM_BUDGET_LOCK = 7_203_614_003;

/** Creates a campaign in draft, with its voucher types and rounds, within the campaign's and the program's budget. */
@Injectable()
export class CreateCampaign {
  private readonly logger = new Logger(CreateCampaign.name);

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
      await manager.query(LOCK_PROGRAM_BUDGET, [PROGRAM_BUDGET_LOCK]);
      // Summed in Postgres as numeric and read as text: exact whatever the total.
      const { total } = (await manager
        .createQueryBuilder(Campaign, 'c')
        .select('COALESCE(sum(c.budgetFen), 0)', 'total')
        .getRawOne<{ total: string }>()) ?? { total: '0' };
      if (BigInt(total) + BigInt(dto.budgetFen) > BigInt(this.config.annualBudgetFen)) {
        throw new AppError(CampaignErrorCode.ProgramBudgetExceeded, "The campaign would take the program past its annual budget", {
          programBudgetFen: this.config.annualBudgetFen,
          committedFen: Number(total),
        });
      }
      const campaign = await manager.insert(Campaign, {
        publicId: campaignId,
        name: dto.name,
        categories: dto.categories,
        districts: dto.districts,
        budgetFen: dto.budgetFen,
        cityShareBp,
        validityDays: dto.validityDays ?? null,
        validUntil: dto.validUntil ? new Date(dto.validUntil) : null,
        perPersonLimit: dto.perPersonLimit,
        returnPolicy: returnPolicyOf(dto) as ReturnPolicy,
        partialRefundPolicy: dto.partialRefundPolicy ?? 'reverse_below_threshold',
        status: 'draft',
      });
      const internalCampaignId = idOf(campaign);
      for (const type of dto.voucherTypes) {
        const voucherType = await manager.insert(VoucherType, {
          publicId: newPublicId(),
          campaignId: internalCampaignId,
          name: type.name,
          faceValueFen: type.faceValueFen,
          thresholdFen: type.thresholdFen,
        });
        const voucherTypeId = idOf(voucherType);
        // One multi-row insert for the type's rounds.
        const rounds = await manager.insert(
          Round,
          type.rounds.map((round) => ({
            publicId: newPublicId(),
            campaignId: internalCampaignId,
            voucherTypeId,
            opensAt: new Date(round.opensAt),
            closesAt: round.closesAt ? new Date(round.closesAt) : null,
            quantity: round.quantity,
            kind: round.kind ?? 'grab',
            stockBuckets: round.stockBuckets ?? 1,
            signupOpensAt: round.signupOpensAt ? new Date(round.signupOpensAt) : null,
            signupClosesAt: round.signupClosesAt ? new Date(round.signupClosesAt) : null,
          })),
        );
        // RETURNING gives the ids in the order of the rows sent.
        const lotteries = type.rounds.flatMap((round, i) =>
          round.kind === 'lottery' ? [{ roundId: String(rounds.identifiers[i].id), publicValueSource: round.publicValueSource as string }] : [],
        );
        await setUpLotteries(manager, lotteries);
      }
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'campaign.create',
        targetType: 'campaign',
        targetId: campaignId,
        detail: { name: dto.name, budgetFen: dto.budgetFen, cityShareBp, returnPolicy: returnPolicyOf(dto), cityShareFrom: official.district ? 'city_setting' : 'official' },
        requestId,
      });
      // Its vouchers' partition, with the campaign (docs/partitions.md). Last: the attach holds
      // vouchers' DEFAULT partition, which every read of vouchers opens, until this commits.
      const partition = await ensureCampaignPartition(manager, internalCampaignId, PARTITION_LOCK_WAIT_MS);
      if (!partition.present) {
        this.logger.warn({ campaignId }, "vouchers' DEFAULT partition was busy: the campaign's vouchers go there until the daily ensure-partitions job");
      }
    });
    return { id: campaignId, cityShareBp };
  }
}

/** The generated id of the one row an insert wrote (bigint, as text). */
function idOf(inserted: InsertResult): string {
  return String(inserted.identifiers[0].id);
}
