import { Inject, Injectable } from '@nestjs/common';
import { DISTRICT_CODES } from '@vouchers/common';
import { FiguresReportView } from './figures.view';
import { daysOf } from './league-period';
import { detailedDistricts, FiguresReader } from './figures-scope';
import { ReadFigures } from './read-figures.usecase';

/** The live figures of a range (default today) and their daily series, as far as the caller's scope reaches. */
@Injectable()
export class FiguresReport {
  constructor(@Inject(ReadFigures) private readonly figures: ReadFigures) {}

  async execute(reader: FiguresReader, from?: string, to?: string): Promise<FiguresReportView> {
    const range = this.figures.range(from, to);
    const { rows, asOf } = await this.figures.read(range);
    const days = daysOf(range);
    const cityDetail = reader.cityWide;
    return {
      from: range.from,
      to: range.to,
      asOf,
      ...(reader.cityWide ? {} : { scopedTo: reader.district }),
      total: rows.total(),
      byCampaign: cityDetail ? rows.byCampaign() : [],
      byVoucherType: cityDetail ? rows.byVoucherType() : [],
      byDistrict: cityDetail ? rows.byDistrict() : [],
      byCategory: cityDetail ? rows.byCategory() : [],
      byDay: rows.byDay(days),
      districts: detailedDistricts(reader, DISTRICT_CODES).map((district) => rows.detail(district, days)),
    };
  }
}
