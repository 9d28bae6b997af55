/**
 * A resident's legal name as typed: trimmed, 2-64 characters (counted as Unicode code
 * points, as Postgres counts varchar(64)), no digits, no control or invisible format
 * characters (which would let two stored names look alike). Middle dots and inner spaces
 * stay: names such as 阿卜杜·热合曼 and Romanised foreign names need them.
 */
export function normaliseRealName(raw: string): string | null {
  const name = raw.trim();
  if (name.length > 128) return null; // more UTF-16 units than 64 code points can take
  const length = Array.from(name).length;
  if (length < 2 || length > 64) return null;
  if (/[\p{Nd}\p{Cc}\p{Cf}]/u.test(name)) return null;
  return name;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: the family name's first character, then one star per character. */
export function maskRealName(name: string): string {
  const [first, ...rest] = Array.from(name);
  return first + '*'.repeat(rest.length);
}
