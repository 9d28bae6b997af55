/**
 * The names of the Postgres connections whose application_name carries `$1` (the claim
 * writer's name without a process id): a process with one of them open may still commit claims.
 * The name may follow one the database URL gives (openPgPool), so it is matched anywhere.
 *
 * $1 the claim writer's connection name, without a process id.
 */
export const CLAIM_CONNECTIONS = `
  SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE application_name LIKE '%' || $1::text || '%'`;
