/**
 * The account a credential is checked against, locked until the transaction ends: concurrent
 * sign-ins of one account take turns, so the failure count and the last TOTP step (replay) are
 * exact. $1 phone.
 */
export const OFFICIAL_FOR_CREDENTIALS = `
SELECT id, public_id AS "publicId", phone, name, role, district, disabled_at AS "disabledAt",
       password_hash AS "passwordHash", totp_secret AS "totpSecret", totp_last_step AS "totpLastStep",
       activation_code_hash AS "activationCodeHash", activation_expires_at AS "activationExpiresAt",
       token_version AS "tokenVersion", created_at AS "createdAt", last_sign_in_at AS "lastSignInAt",
       GREATEST(0, CEIL(EXTRACT(EPOCH FROM locked_until - now())))::int AS "lockedForSeconds",
       activation_expires_at IS NOT NULL AND activation_expires_at <= now() AS "activationExpired"
  FROM officials
 WHERE phone = $1
   FOR UPDATE`;

/**
 * The same, read without a lock, to check the password first: a wrong one then waits for no
 * other sign-in and writes nothing, for an official's number as for any other. $1 phone.
 */
export const OFFICIAL_FOR_PASSWORD = OFFICIAL_FOR_CREDENTIALS.replace('   FOR UPDATE', '');

/** The same, by internal id (password change: the caller is known by token). $1 id. */
export const OFFICIAL_FOR_CREDENTIALS_BY_ID = OFFICIAL_FOR_CREDENTIALS.replace('WHERE phone = $1', 'WHERE id = $1');

/**
 * One more failure. A lock that has run out starts the count again; reaching the limit locks the
 * account. $1 id, $2 max failures, $3 lock seconds. Returns what is left before (or of) the lock.
 */
export const RECORD_FAILED_ATTEMPT = `
UPDATE officials
   SET failed_attempts = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_attempts + 1 END,
       locked_until = CASE
         WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_attempts + 1 END) >= $2
           THEN now() + make_interval(secs => $3)
         WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
         ELSE locked_until END
 WHERE id = $1
RETURNING GREATEST(0, $2 - failed_attempts)::int AS "attemptsLeft"`;

/**
 * A right TOTP code told only that the account is locked: its step is spent all the same, so a
 * code found while the lock holds cannot sign in once it ends. $1 id, $2 step.
 */
export const SPEND_TOTP_STEP = `UPDATE officials SET totp_last_step = GREATEST(COALESCE(totp_last_step, -1), $2) WHERE id = $1`;

/**
 * A failure's commit need not wait for the disk: a right password with a wrong code then takes
 * about as long as a wrong password (which writes nothing), and a crash loses at most the last
 * few counts. Transaction-local.
 */
export const NO_WAIT_FOR_DISK = `SELECT set_config('synchronous_commit', 'off', true)`;

/**
 * A success: the count and any run-out lock are cleared, the TOTP step is spent, and, when it
 * signs the official in ($3), the sign-in's time is kept on the row (Official.lastSignInAt):
 * now(), the transaction's time, as the audit entry written beside it says. One statement on
 * the row locked for it. $1 id, $2 step (null: none used), $3 whether it signs in.
 */
export const RECORD_SUCCESS = `
UPDATE officials
   SET failed_attempts = 0, locked_until = NULL, totp_last_step = COALESCE($2, totp_last_step),
       last_sign_in_at = CASE WHEN $3::boolean THEN now() ELSE last_sign_in_at END
 WHERE id = $1
RETURNING last_sign_in_at AS "lastSignInAt"`;
