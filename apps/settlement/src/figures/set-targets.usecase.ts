import { Inject, Injectable } from '@nestjs/common';
import { AppError, CommonErrorCode, fenFromColumn } from '@vouchers/common';
import { recordAudit } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { PERIOD_TARGETS, SET_TARGETS } from './figures.sql';
import { SetTargetsDto } from './figures.dto';
import { TargetSetter } from './figures-scope';
import { periodRange } from './league-period';
import { TargetsView } from './league-table.view';
import { TargetRow } from './read-figures.usecase';

/** Sets districts' targets for a week or a month, audited (figures.targets.set) in the same transaction. */
@Injectable()
export class SetTargets {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(setter: TargetSetter, request: SetTargetsDto, requestId: string | null): Promise<TargetsView> {
    periodRange(request.period, request.start);
    const districts = request.targets.map((target) => target.district);
    if (new Set(districts).size !== districts.length) {
      throw new AppError(CommonErrorCode.ValidationFailed, 'Each district at most once', { problems: ['targets names a district twice'] });
    }
    const rows = await this.db.transaction(async (manager) => {
      await manager.query(SET_TARGETS, [
        request.period,
        request.start,
        districts,
        request.targets.map((target) => target.consumptionFen ?? null),
        request.targets.map((target) => target.subsidyFen ?? null),
        request.targets.map((target) => target.redeemed ?? null),
        setter.sub,
      ]);
      await recordAudit(manager, {
        actorId: setter.sub,
        actorRole: setter.role,
        action: 'figures.targets.set',
        targetType: 'district_targets',
        targetId: `${request.period}:${request.start}`,
        detail: { targets: request.targets },
        requestId,
      });
      return (await manager.query(PERIOD_TARGETS, [request.period, request.start])) as TargetRow[];
    });
    return {
      period: request.period,
      start: request.start,
      targets: rows.map((row) => ({
        district: row.district,
        consumptionFen: fenFromColumn(row.consumption_fen),
        subsidyFen: fenFromColumn(row.subsidy_fen),
        redeemed: row.redeemed,
      })),
    };
  }
}
