import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resident's number change (apps/issuance/src/residents/phone-change):
 *  - an empty account standing on the new number (made by signing in with the new SIM first)
 *    gives the number up. Residents are never deleted (residents_kept), so its phone becomes
 *    NULL: a retired account, which no number signs in to and every lookup passes over. The
 *    unique key still holds one live account per number (NULLs are distinct).
 *  - whether that account holds a lottery entry is asked by resident; the round's unique key
 *    (round_id, resident_id) could only answer with a scan of every entry.
 */
export class ResidentPhoneChange1796870000000 implements MigrationInterface {
  name = 'ResidentPhoneChange1796870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "residents" ALTER COLUMN "phone" DROP NOT NULL`);
    await queryRunner.query(`CREATE INDEX "lottery_entries_resident_idx" ON "lottery_entries" ("resident_id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."lottery_entries_resident_idx"`);
    await queryRunner.query(`ALTER TABLE "residents" ALTER COLUMN "phone" SET NOT NULL`);
  }
}
