// Money arrives and leaves as integer fen; only the screen shows yuan.

/** Whole yuan with a comma every three digits, as finance reads a 10亿 budget: 1234567 → "1,234,567". */
const grouped = (whole: number): string => String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Fen as the screen shows money: "¥1,234,567.89", "-¥0.50". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${grouped(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen as an amount field holds it ("58.50"): what fenOf reads back. */
export function typedYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** A typed amount in yuan ("12", "12.5", "12.50") as fen, or null when it is not one. */
export function fenOf(typed: string): number | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(typed);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
