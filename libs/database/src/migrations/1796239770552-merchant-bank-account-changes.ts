import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * merchant_bank_account_changes: a new bank account an approved merchant asked for, held for
 * an official's review (issue 15, point 14). The merchant's own columns keep the approved
 * account, the only one settlement reads, until an official approves the change.
 */
export class MerchantBankAccountChanges1796239770552 implements MigrationInterface {
  name = 'MerchantBankAccountChanges1796239770552';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "merchant_bank_account_changes" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "merchant_id" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "bank_account_name" character varying(200) NOT NULL, "bank_name" character varying(100) NOT NULL, "bank_account_cipher" text NOT NULL, "bank_account_masked" character varying(40) NOT NULL, "requested_by" character varying(64) NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_by" character varying(64), "decided_at" TIMESTAMP WITH TIME ZONE, "reason" character varying(500), CONSTRAINT "UQ_56f7ed6955de8dd7921a9cbe032" UNIQUE ("public_id"), CONSTRAINT "merchant_bank_account_changes_status_check" CHECK ("status" IN ('pending', 'approved', 'rejected', 'withdrawn')), CONSTRAINT "PK_0560487c12eb27dc5f8daf7819d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "merchant_bank_account_changes_status_public_idx" ON "merchant_bank_account_changes"  ("status", "public_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "merchant_bank_account_changes_one_pending_idx" ON "merchant_bank_account_changes"  ("merchant_id") WHERE "status" = 'pending'`);
    await queryRunner.query(`ALTER TABLE "merchant_bank_account_changes" ADD CONSTRAINT "FK_6c9553f38650dfdf6f62d4c6f5d" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "merchant_bank_account_changes" DROP CONSTRAINT "FK_6c9553f38650dfdf6f62d4c6f5d"`);
    await queryRunner.query(`DROP INDEX "public"."merchant_bank_account_changes_one_pending_idx"`);
    await queryRunner.query(`DROP INDEX "public"."merchant_bank_account_changes_status_public_idx"`);
    await queryRunner.query(`DROP TABLE "merchant_bank_account_changes"`);
  }
}
