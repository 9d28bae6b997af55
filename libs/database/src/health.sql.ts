/** The trivial query isDatabaseReachable times: Postgres answers, or it does not. No parameters. */
export const PROBE = `SELECT 1`;
