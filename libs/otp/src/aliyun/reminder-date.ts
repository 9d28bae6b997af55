/** A YYYY-MM-DD date as the reminder's ${date} shows it: 2023-12-09 → 12月9日. */
export function reminderDateText(date: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return `${Number(match[1])}月${Number(match[2])}日`;
}
