import { withTimeout } from '@vouchers/common';
import { DataSource } from 'typeorm';
import { PROBE } from './health.sql';

/** True when Postgres answers a trivial query within the timeout. */
export async function isDatabaseReachable(dataSource: DataSource, timeoutMs = 1_000): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  const probe = dataSource.query(PROBE).then(
    () => true,
    () => false,
  );
  return withTimeout(probe, timeoutMs, false);
}
