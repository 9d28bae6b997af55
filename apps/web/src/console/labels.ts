// Names for the codes the APIs use: districts (as libs/common's DISTRICTS) and categories.
export const DISTRICTS: Record<string, string> = {
  haishu: '海曙区', jiangbei: '江北区', zhenhai: '镇海区', beilun: '北仑区', yinzhou: '鄞州区',
  fenghua: '奉化区', yuyao: '余姚市', cixi: '慈溪市', ninghai: '宁海县', xiangshan: '象山县',
};
export const DISTRICT_CODES = Object.keys(DISTRICTS);

export const CATEGORIES: Record<string, { zh: string; en: string }> = {
  dining: { zh: '餐饮', en: 'Dining' },
  retail: { zh: '零售', en: 'Retail' },
  supermarket: { zh: '商超', en: 'Supermarkets' },
  home_appliances: { zh: '家电', en: 'Home appliances' },
  cars: { zh: '汽车', en: 'Cars' },
  culture_tourism: { zh: '文旅', en: 'Culture and tourism' },
  sports: { zh: '体育', en: 'Sports' },
  night_economy: { zh: '夜间经济', en: 'Night economy' },
  other: { zh: '其他', en: 'Other' },
};
export const CATEGORY_CODES = Object.keys(CATEGORIES);

export function districtName(code: string): string {
  return DISTRICTS[code] ?? code;
}

export function categoryName(code: string, locale: string): string {
  const names = CATEGORIES[code];
  return names ? (locale === 'en' ? names.en : names.zh) : code;
}

/**
 * Names side by side as the language lists them: 、 between them in Chinese, a comma in English.
 * A plain list, not a sentence: the narrow conjunction leaves out the "and" before the last.
 */
export function listOf(names: string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' }).format(names);
}

/** A date-time as Beijing time, to the minute. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A date-time as Beijing time, to the second (the audit trail: entries a minute apart are told apart). */
export function beijingTimeToSecond(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Today's date in Beijing, YYYY-MM-DD, shifted by days. */
export function beijingDay(shiftDays = 0): string {
  const at = new Date(Date.now() + shiftDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
