// What GET /v1/figures and /v1/figures/league answer (apps/settlement/src/figures), as the page reads it.
export interface Figures {
  claimed: number;
  redeemed: number;
  subsidyFen: number;
  consumptionFen: number;
  leverage: number | null;
  redemptionRate: number | null;
  merchants: number;
  residents: number;
}

export interface DayFigures extends Figures {
  day: string;
}

export interface FiguresReport {
  from: string;
  to: string;
  asOf: string;
  total: Figures;
  byDay: DayFigures[];
}

export interface LeagueRow extends Figures {
  rank: number;
  district: string;
  districtName: string;
  targets: { consumptionFen: number | null };
  consumptionAttainment: number | null;
}

export interface LeagueTable {
  period: 'week' | 'month';
  from: string;
  to: string;
  asOf: string;
  rows: LeagueRow[];
}

export const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
export const times = (leverage: number | null) => (leverage === null ? '—' : `${leverage.toFixed(2)}`);

/** The period's first day for a day: its Monday for a week, its 1st for a month. */
export function periodStart(day: string, period: 'week' | 'month'): string {
  if (period === 'month') return `${day.slice(0, 8)}01`;
  const date = new Date(`${day}T00:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}
