import ExcelJS from 'exceljs';
import { DistrictDetailView } from './figures.view';
import { FIGURE_COLUMNS, figureCells, TARGET_HEADERS } from './league-columns';
import { LeagueTableView } from './league-table.view';

/** The league sheet's name; each district's sheet is named by the district (海曙区…). */
export const LEAGUE_SHEET = '排名 League';

const headers = FIGURE_COLUMNS.map((column) => column.header);

function addDetail(sheet: ExcelJS.Worksheet, title: string, keyHeader: string, rows: Array<{ key: string; name: string; cells: Array<number | null> }>): void {
  sheet.addRow([title]).font = { bold: true };
  sheet.addRow([keyHeader, 'name', ...headers]).font = { bold: true };
  for (const row of rows) sheet.addRow([row.key, row.name, ...row.cells]);
  sheet.addRow([]);
}

function districtSheet(book: ExcelJS.Workbook, detail: DistrictDetailView): void {
  const sheet = book.addWorksheet(detail.districtName);
  addDetail(sheet, `${detail.districtName} 按日 per day`, 'day', detail.byDay.map((day) => ({ key: day.day, name: '', cells: figureCells(day) })));
  addDetail(
    sheet,
    `${detail.districtName} 按活动 per campaign`,
    'campaign',
    detail.byCampaign.map((campaign) => ({ key: campaign.campaignId, name: campaign.campaignName, cells: figureCells(campaign) })),
  );
  addDetail(
    sheet,
    `${detail.districtName} 按类别 per category`,
    'category',
    detail.byCategory.map((category) => ({ key: category.category, name: '', cells: figureCells(category) })),
  );
}

/**
 * The league table as a workbook: the ranked districts on the first sheet (with the city's
 * total under them), then a sheet per district in the caller's detail. Names and amounts are
 * written as cell values, never formulas.
 */
export async function leagueXlsx(table: LeagueTableView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = new Date(table.asOf);
  const league = book.addWorksheet(LEAGUE_SHEET);
  league.addRow([`${table.period} ${table.from} – ${table.to}`]).font = { bold: true };
  league.addRow(['rank 排名', 'district', 'district_name 区县', ...headers, ...TARGET_HEADERS]).font = { bold: true };
  for (const row of table.rows) {
    league.addRow([
      row.rank,
      row.district,
      row.districtName,
      ...figureCells(row),
      row.targets.consumptionFen,
      row.targets.subsidyFen,
      row.targets.redeemed,
      row.consumptionAttainment,
    ]);
  }
  league.addRow([null, '全市', '全市', ...figureCells(table.total)]);
  for (const detail of table.districts) districtSheet(book, detail);
  return Buffer.from(await book.xlsx.writeBuffer());
}
