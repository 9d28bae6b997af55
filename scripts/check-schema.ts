/**
 * CI check: migrate a scratch database and ask TypeORM what it would change to match the
 * entities. Anything at all means an entity changed without a migration; exit 1 with the SQL.
 *   node dist/scripts/check-schema.js
 */
import 'reflect-metadata';
import { createDataSource, pendingSchemaChanges, runMigrationsLocked } from '@vouchers/database';
import { withScratchDatabase } from './scratch-database';

async function main(): Promise<number> {
  return withScratchDatabase(async (url) => {
    const dataSource = createDataSource(url, 2);
    await dataSource.initialize();
    try {
      const applied = await runMigrationsLocked(dataSource);
      const pending = await pendingSchemaChanges(dataSource);
      if (pending.length === 0) {
        console.log(`schema check: ${applied.length} migrations applied; entities and migrations agree`);
        return 0;
      }
      console.error('schema check: the entities differ from the migrations. Generate a migration:');
      for (const sql of pending) console.error(`  ${sql}`);
      return 1;
    } finally {
      await dataSource.destroy();
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`schema check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
