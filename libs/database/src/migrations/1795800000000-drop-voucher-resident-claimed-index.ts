import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops vouchers_resident_claimed_idx (resident_id, claimed_at). No query needs it: a
 * resident's vouchers are found through the unique key (resident_id, idempotency_key), whose
 * leading column is the same, and are listed in public id order; the reconciliation reads
 * claimed_at by day across all residents, which an index led by the resident cannot serve.
 * Every grab paid for it: one more index entry for each voucher written.
 */
export class DropVoucherResidentClaimedIndex1795800000000 implements MigrationInterface {
  name = 'DropVoucherResidentClaimedIndex1795800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."vouchers_resident_claimed_idx"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "vouchers_resident_claimed_idx" ON "vouchers" ("resident_id", "claimed_at")`);
  }
}
