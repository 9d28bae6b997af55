import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { DataSource } from 'typeorm';

/** A direct connection to this run's database (migrated), for arranging rows and counting them. */
export async function openTestDatabase(url = process.env.DATABASE_URL as string): Promise<DataSource> {
  const dataSource = createDataSource(url, 4);
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);
  return dataSource;
}
