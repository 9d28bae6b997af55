/**
 * One account's sessions change one at a time: a refresh (from consuming its token to
 * inserting the next), a logout and the ending of every session take this lock first, so an
 * ending never misses the token a refresh in flight is about to insert (its UPDATE would wait
 * for the token being consumed, then skip it, and not see its successor). Transaction-scoped.
 * $1 account kind, $2 account id.
 */
export const LOCK_ACCOUNT_SESSIONS = `SELECT pg_advisory_xact_lock(hashtext('account_sessions'), hashtext($1 || ':' || $2))`;
