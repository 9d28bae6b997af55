/**
 * A staff member's name as the admin typed it: trimmed, 1-64 characters (code points, as
 * Postgres counts varchar(64)), with no control or invisible format characters that would
 * let two names in the staff list look alike. Null when it is not one.
 */
export function normaliseStaffName(raw: string): string | null {
  const name = raw.trim();
  const length = Array.from(name).length;
  if (length < 1 || length > 64) return null;
  if (/[\p{Cc}\p{Cf}]/u.test(name)) return null;
  return name;
}
