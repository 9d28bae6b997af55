import { csvLine, inertText } from '@vouchers/common';
import { DistrictDetailView } from './figures.view';
import { FIGURE_COLUMNS, figureCells, TARGET_HEADERS } from './league-columns';
import { LeagueTableView } from './league-table.view';

const HEADER = ['section', 'rank', 'district', 'district_name', 'key', 'name', ...FIGURE_COLUMNS.map((column) => column.header), ...TARGET_HEADERS];
const NO_TARGETS = [null, null, null, null];

function detailLines(detail: DistrictDetailView): string[] {
  const of = (section: string, key: string, name: string, cells: Array<number | null>) =>
    csvLine([section, null, detail.district, detail.districtName, key, inertText(name), ...cells, ...NO_TARGETS]);
  return [
    ...detail.byDay.map((day) => of('day', day.day, '', figureCells(day))),
    ...detail.byCampaign.map((campaign) => of('campaign', campaign.campaignId, campaign.campaignName, figureCells(campaign))),
    ...detail.byCategory.map((category) => of('category', category.category, '', figureCells(category))),
  ];
}

/**
 * The league table as one CSV (UTF-8 with a byte-order mark, so spreadsheets read the Chinese
 * headers): the ranked districts ("league"), the city ("total"), then each district in the
 * caller's detail per day, campaign and category; the section name in column one.
 */
export function leagueCsv(table: LeagueTableView): string {
  const lines = [
    csvLine(HEADER),
    ...table.rows.map((row) =>
      csvLine([
        'league',
        row.rank,
        row.district,
        row.districtName,
        null,
        null,
        ...figureCells(row),
        row.targets.consumptionFen,
        row.targets.subsidyFen,
        row.targets.redeemed,
        row.consumptionAttainment,
      ]),
    ),
    csvLine(['total', null, '全市', '全市', null, null, ...figureCells(table.total), ...NO_TARGETS]),
    ...table.districts.flatMap(detailLines),
  ];
  return `\uFEFF${lines.join('')}`;
}
