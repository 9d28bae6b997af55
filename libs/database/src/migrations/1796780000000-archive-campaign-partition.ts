import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two steps of archiving an ended campaign's vouchers that name its partition
 * (vouchers_c<id>), as functions so that the command's SQL stays in named statements
 * (archiveCampaignPartition, libs/database/src/partitions.ts): lock_campaign_partition takes the
 * partition's lock before the command counts what would keep it (false: no such partition
 * attached), archive_campaign_partition detaches it into the archive schema.
 */
export class ArchiveCampaignPartition1796780000000 implements MigrationInterface {
  name = 'ArchiveCampaignPartition1796780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      campaignPartitionFunction('lock_campaign_partition', 'boolean', `
        IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhparent = 'vouchers'::regclass AND inhrelid = to_regclass(quote_ident(part))) THEN
          RETURN false;
        END IF;
        EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', part);
        RETURN true;`),
    );
    await queryRunner.query(
      campaignPartitionFunction('archive_campaign_partition', 'text', `
        EXECUTE format('ALTER TABLE vouchers DETACH PARTITION %I', part);
        CREATE SCHEMA IF NOT EXISTS archive;
        EXECUTE format('ALTER TABLE %I SET SCHEMA archive', part);
        RETURN 'archive.' || part;`),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION archive_campaign_partition(bigint)`);
    await queryRunner.query(`DROP FUNCTION lock_campaign_partition(bigint)`);
  }
}

/** A function of campaign id `campaign` whose body knows its partition's name as `part`. */
function campaignPartitionFunction(name: string, returns: string, body: string): string {
  return `
    CREATE FUNCTION ${name}(campaign bigint) RETURNS ${returns}
    LANGUAGE plpgsql AS $$
    DECLARE
      part text := 'vouchers_c' || campaign;
    BEGIN${body}
    END $$`;
}
