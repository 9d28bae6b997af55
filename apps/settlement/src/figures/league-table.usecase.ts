import { Inject, Injectable } from '@nestjs/common';
import { DISTRICT_CODES, fenFromColumn } from '@vouchers/common';
import { districtName } from './figures.rows';
import { detailedDistricts, FiguresReader } from './figures-scope';
import { daysOf, LeaguePeriod, periodRange } from './league-period';
import { LeagueRowView, LeagueTableView } from './league-table.view';
import { ReadFigures, TargetRow } from './read-figures.usecase';

const attainment = (actual: number, target: number | null): number | null =>
  target === null || target === 0 ? null : Math.round((actual / target) * 10_000) / 10_000;

/** Ranks by consumption driven, largest first; equal figures share a rank (1, 2, 2, 4), in district code order. */
export function ranked(rows: Array<Omit<LeagueRowView, 'rank'>>): LeagueRowView[] {
  const sorted = [...rows].sort((a, b) => b.consumptionFen - a.consumptionFen || a.district.localeCompare(b.district));
  const result: LeagueRowView[] = [];
  sorted.forEach((row, index) => {
    const previous = result[index - 1];
    const rank = previous && previous.consumptionFen === row.consumptionFen ? previous.rank : index + 1;
    result.push({ ...row, rank });
  });
  return result;
}

/** The district league table (月晾晒) of a week or a month. */
@Injectable()
export class LeagueTable {
  constructor(@Inject(ReadFigures) private readonly figures: ReadFigures) {}

  async execute(reader: FiguresReader, period: LeaguePeriod, start: string): Promise<LeagueTableView> {
    const range = periodRange(period, start);
    const { rows, asOf, targets } = await this.figures.read(range, { period, start });
    const targetOf = new Map<string, TargetRow>(targets.map((row) => [row.district, row]));
    const days = daysOf(range);
    return {
      period,
      from: range.from,
      to: range.to,
      asOf,
      total: rows.total(),
      rows: ranked(
        DISTRICT_CODES.map((district) => {
          const figures = rows.district(district);
          const target = targetOf.get(district);
          const consumptionTarget = fenFromColumn(target?.consumption_fen ?? null);
          return {
            district,
            districtName: districtName(district),
            ...figures,
            targets: {
              consumptionFen: consumptionTarget,
              subsidyFen: fenFromColumn(target?.subsidy_fen ?? null),
              redeemed: target?.redeemed ?? null,
            },
            consumptionAttainment: attainment(figures.consumptionFen, consumptionTarget),
          };
        }),
      ),
      districts: detailedDistricts(reader, DISTRICT_CODES).map((district) => rows.detail(district, days)),
    };
  }
}
