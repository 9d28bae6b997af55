/**
 * An official's standing as the guard checks it on every request: one probe of the unique
 * public id index, and, for a token that names its session, one of the session index: the
 * session is live while a token of it is neither revoked (sign-out revokes them all) nor expired.
 * $1 public id, $2 the token's session id or null.
 */
export const OFFICIAL_STANDING = `
SELECT o.disabled_at IS NOT NULL AS disabled, o.token_version AS "tokenVersion",
       ($2::uuid IS NULL OR EXISTS (
          SELECT 1 FROM refresh_tokens t
           WHERE t.session_id = $2::uuid AND t.account_kind = 'official' AND t.account_id = o.id
             AND t.revoked_at IS NULL AND t.expires_at > now())) AS "sessionLive"
  FROM officials o
 WHERE o.public_id = $1`;
