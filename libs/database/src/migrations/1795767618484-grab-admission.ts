import { MigrationInterface, QueryRunner } from 'typeorm';

/** Admission generations (fencing claim inserts across a Redis rebuild) and grab idempotency keys. */
export class GrabAdmission1795767618484 implements MigrationInterface {
  name = 'GrabAdmission1795767618484';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "campaign_admission" ("campaign_id" bigint NOT NULL, "generation" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_118a7b66ee18847dd9b9de51e60" PRIMARY KEY ("campaign_id"))`);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD "idempotency_key" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD CONSTRAINT "vouchers_resident_idempotency_key" UNIQUE ("resident_id", "idempotency_key")`);
    await queryRunner.query(`ALTER TABLE "campaign_admission" ADD CONSTRAINT "FK_118a7b66ee18847dd9b9de51e60" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "campaign_admission" DROP CONSTRAINT "FK_118a7b66ee18847dd9b9de51e60"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "vouchers_resident_idempotency_key"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP COLUMN "idempotency_key"`);
    await queryRunner.query(`DROP TABLE "campaign_admission"`);
  }
}
