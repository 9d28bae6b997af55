/**
 * The month partitions of redemptions, ledger_entries and audit_log (docs/partitions.md):
 *   npm run db:partitions -- ensure                                  the months from last to three ahead, as the daily job
 *   npm run db:partitions -- archive --table redemptions --month 2026-01
 *   npm run db:partitions -- archive --campaign <campaign public id>
 * `archive` detaches a month that is over into the archive schema (a month of redemptions only
 * when all are settled), or an ended campaign's vouchers (none still redeemable, every redemption
 * of them settled), and prints the pg_dump and DROP that finish it. Runs migrations first.
 */
import 'reflect-metadata';
import { loadConfig } from '@vouchers/config';
import { archiveCampaignPartition, archiveMonthPartition, createDataSource, ensureMonthPartitions, PARTITIONED_TABLES, PartitionedTable, runMigrationsLocked } from '@vouchers/database';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run db:partitions -- ensure
       npm run db:partitions -- archive --table ${PARTITIONED_TABLES.join('|')} --month YYYY-MM
       npm run db:partitions -- archive --campaign <campaign public id>`;

type Command = { name: 'ensure' } | { name: 'archive'; table: PartitionedTable; month: string } | { name: 'archive-campaign'; campaign: string };

function commandOf(argv: string[]): Command {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { table: { type: 'string' }, month: { type: 'string' }, campaign: { type: 'string' } } });
  if (positionals[0] === 'ensure' && positionals.length === 1) return { name: 'ensure' };
  if (positionals[0] !== 'archive' || positionals.length !== 1) throw new Error('expected ensure or archive');
  if (values.campaign !== undefined) {
    if (values.table !== undefined || values.month !== undefined) throw new Error('--campaign goes alone');
    return { name: 'archive-campaign', campaign: values.campaign };
  }
  const table = values.table ?? '';
  if (!(PARTITIONED_TABLES as readonly string[]).includes(table)) throw new Error(`--table must be one of ${PARTITIONED_TABLES.join(', ')}`);
  if (!/^\d{4}-\d{2}$/.test(values.month ?? '')) throw new Error('--month must be YYYY-MM');
  return { name: 'archive', table: table as PartitionedTable, month: values.month as string };
}

async function main(): Promise<void> {
  let command: Command;
  try {
    command = commandOf(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  const dataSource = createDataSource(config.databaseUrl, 2);
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    if (command.name === 'ensure') {
      console.log(JSON.stringify(await ensureMonthPartitions(dataSource.manager)));
      return;
    }
    const archived =
      command.name === 'archive'
        ? await archiveMonthPartition(dataSource.manager, command.table, command.month)
        : await archiveCampaignPartition(dataSource.manager, command.campaign);
    console.log(`Detached ${archived}. To finish: pg_dump --table=${archived} --format=custom --file=${archived}.dump <database>, keep the file, then DROP TABLE ${archived}.`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`db:partitions failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
