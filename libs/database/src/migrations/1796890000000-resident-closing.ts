import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A resident closes their account (apps/issuance/src/residents/closing). The row stays (residents
 * are never deleted: vouchers, redemptions and the ledger name it), its number, legal name and ID
 * mask are erased, and `closed_at` says when. The check keeps a closed row erased whatever writes
 * it. The ID number's keyed hash stays, unique as before: the per-person limits keep counting what
 * the person took, and their next real-name verification reopens this row.
 */
export class ResidentClosing1796890000000 implements MigrationInterface {
  name = 'ResidentClosing1796890000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "residents" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "residents" ADD CONSTRAINT "residents_closed_erased" CHECK ("closed_at" IS NULL OR ("phone" IS NULL AND "real_name" IS NULL AND "id_number_masked" IS NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "residents" DROP CONSTRAINT "residents_closed_erased"`);
    await queryRunner.query(`ALTER TABLE "residents" DROP COLUMN "closed_at"`);
  }
}
