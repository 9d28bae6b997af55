/**
 * An official's standing as the guard checks it on every request: one probe of the unique
 * public id index. $1 public id.
 */
export const OFFICIAL_STANDING = `
SELECT disabled_at IS NOT NULL AS disabled, token_version AS "tokenVersion"
  FROM officials
 WHERE public_id = $1`;
