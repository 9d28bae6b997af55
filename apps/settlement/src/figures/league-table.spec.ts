import { FiguresView } from './figures.view';
import { ranked } from './league-table.usecase';

const row = (district: string, consumptionFen: number) => ({
  ...({ consumptionFen } as FiguresView),
  district,
  districtName: district,
  targets: { consumptionFen: null, subsidyFen: null, redeemed: null },
  consumptionAttainment: null,
});

describe('league table ranks', () => {
  it('ranks by consumption driven, largest first, equal figures sharing a rank', () => {
    const table = ranked([row('cixi', 100), row('haishu', 500), row('beilun', 100), row('yinzhou', 50)]);
    expect(table.map((r) => [r.district, r.rank])).toEqual([
      ['haishu', 1],
      ['beilun', 2],
      ['cixi', 2],
      ['yinzhou', 4],
    ]);
  });
});
