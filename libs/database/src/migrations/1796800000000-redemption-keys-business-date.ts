import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * redemption_keys learns each redemption's business_date, its month partition's key
 * (docs/partitions.md, "Lookups without a date"). A till's retry knows only its order number and a
 * refund only the redemption's public id: each found the id in redemption_keys (or by public id)
 * and then probed every month's partition for the row. With the date beside the id, each reads
 * one partition.
 *
 * The insert trigger writes the date with the other keys. A redemption whose business_date is
 * changed moves to that month's partition; its key follows (redemption_keys_moved, a row trigger
 * before the update: an update that moves a row fires no AFTER UPDATE row trigger).
 *
 * Keys of months archived before this migration keep a null date: their redemptions are no longer
 * in redemptions, and their keys are kept only so an order number or public id stays used.
 * The backfill rewrites every key once: run it between rounds, as every migration.
 */
export class RedemptionKeysBusinessDate1796800000000 implements MigrationInterface {
  name = 'RedemptionKeysBusinessDate1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER TABLE "redemption_keys" ADD "business_date" date`);
    await q(`UPDATE redemption_keys k SET business_date = r.business_date FROM redemptions r WHERE r.id = k.redemption_id`);
    await q(insertFunction(true));
    await q(`
      CREATE FUNCTION redemption_keys_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE redemption_keys SET business_date = NEW.business_date WHERE redemption_id = NEW.id;
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER redemptions_keys_moved BEFORE UPDATE OF "business_date" ON "redemptions"
      FOR EACH ROW WHEN (OLD.business_date IS DISTINCT FROM NEW.business_date) EXECUTE FUNCTION redemption_keys_moved()`);
    await q(`ANALYZE "redemption_keys"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TRIGGER redemptions_keys_moved ON "redemptions"`);
    await q(`DROP FUNCTION redemption_keys_moved()`);
    await q(insertFunction(false));
    await q(`ALTER TABLE "redemption_keys" DROP COLUMN "business_date"`);
  }
}

/** The insert trigger's function (PartitionedHistory's), with the business date or as it was. */
function insertFunction(withDate: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION redemption_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO redemption_keys (redemption_id, public_id, merchant_id, merchant_order_no, voucher_id, standing${withDate ? ', business_date' : ''})
      SELECT id, public_id, merchant_id, merchant_order_no, voucher_id, status IN ('completed', 'partly_refunded')${withDate ? ', business_date' : ''}
        FROM new_redemptions;
      RETURN NULL;
    END $$`;
}
