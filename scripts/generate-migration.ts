/**
 * Writes a migration holding the SQL that brings a freshly migrated database in line with
 * the entities: `npm run build && node dist/scripts/generate-migration.js <Name>`.
 * The new class must then be added to libs/database/src/migrations/index.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, runMigrationsLocked } from '@vouchers/database';
import { withScratchDatabase } from './scratch-database';

function escape(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('usage: generate-migration <PascalCaseName>');
  }
  await withScratchDatabase(async (url) => {
    const dataSource = createDataSource(url, 2);
    await dataSource.initialize();
    try {
      await runMigrationsLocked(dataSource);
      const log = await dataSource.driver.createSchemaBuilder().log();
      if (log.upQueries.length === 0) {
        console.log('The entities and the migrations agree: nothing to generate.');
        return;
      }
      const stamp = Date.now();
      const up = log.upQueries.map((q) => `    await queryRunner.query(\`${escape(q.query)}\`);`).join('\n');
      const down = log.downQueries
        .reverse()
        .map((q) => `    await queryRunner.query(\`${escape(q.query)}\`);`)
        .join('\n');
      const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      const file = join(process.cwd(), 'libs/database/src/migrations', `${stamp}-${kebab}.ts`);
      writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${stamp} implements MigrationInterface {\n  name = '${name}${stamp}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      console.log(`wrote ${file}`);
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
