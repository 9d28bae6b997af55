/** The city's districts and counties (宁波市辖区与县市), by stable code. */
export const DISTRICTS = {
  haishu: '海曙区',
  jiangbei: '江北区',
  zhenhai: '镇海区',
  beilun: '北仑区',
  yinzhou: '鄞州区',
  fenghua: '奉化区',
  yuyao: '余姚市',
  cixi: '慈溪市',
  ninghai: '宁海县',
  xiangshan: '象山县',
} as const;

export type District = keyof typeof DISTRICTS;

export const DISTRICT_CODES = Object.keys(DISTRICTS) as District[];

export function isDistrict(value: unknown): value is District {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DISTRICTS, value);
}

/** Voucher themes and merchant categories. */
export const CATEGORIES = [
  'dining',
  'retail',
  'supermarket',
  'home_appliances',
  'cars',
  'culture_tourism',
  'sports',
  'night_economy',
  'other',
] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
