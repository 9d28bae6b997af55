import { MigrationInterface, QueryRunner } from 'typeorm';

export class CheckoutRedemptions1795776577658 implements MigrationInterface {
  name = 'CheckoutRedemptions1795776577658';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "refunds" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "redemption_id" bigint NOT NULL, "merchant_id" bigint NOT NULL, "merchant_refund_no" character varying(64) NOT NULL, "refund_amount_fen" bigint NOT NULL, "customer_refund_fen" bigint NOT NULL, "discount_reversed_fen" bigint NOT NULL DEFAULT '0', "city_fen" bigint NOT NULL DEFAULT '0', "district_fen" bigint NOT NULL DEFAULT '0', "refunded_by" uuid NOT NULL, "refunded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "business_date" date NOT NULL, CONSTRAINT "UQ_ee0da8e3824eb016d94aca38f9a" UNIQUE ("public_id"), CONSTRAINT "refunds_merchant_refund_key" UNIQUE ("merchant_id", "merchant_refund_no"), CONSTRAINT "refunds_amounts_check" CHECK ("refund_amount_fen" > 0 AND "discount_reversed_fen" = "city_fen" + "district_fen"), CONSTRAINT "PK_5106efb01eeda7e49a78b869738" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "refunds_merchant_date_idx" ON "refunds"  ("merchant_id", "business_date") `);
    await queryRunner.query(`CREATE TABLE "clawbacks" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "refund_id" bigint NOT NULL, "merchant_id" bigint NOT NULL, "amount_fen" bigint NOT NULL, "city_fen" bigint NOT NULL, "district_fen" bigint NOT NULL, "settlement_line_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_729a68d138ce578fa7bfa15eadf" UNIQUE ("public_id"), CONSTRAINT "UQ_2224eac9c00fc5701db25688f10" UNIQUE ("refund_id"), CONSTRAINT "PK_a658b35a96020f75c87315c5e30" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "clawbacks_open_idx" ON "clawbacks"  ("merchant_id") WHERE "settlement_line_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "partial_refund_policy" character varying(24) NOT NULL DEFAULT 'reverse_below_threshold'`);
    await queryRunner.query(`ALTER TABLE "redemptions" ADD "cashier_id" uuid NOT NULL`);
    await queryRunner.query(`ALTER TABLE "redemptions" ADD "code_digest" character(32) NOT NULL`);
    await queryRunner.query(`ALTER TABLE "redemptions" ADD "refunded_amount_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "redemptions" ADD "settlement_line_id" bigint`);
    await queryRunner.query(`CREATE INDEX "redemptions_settlement_line_idx" ON "redemptions"  ("settlement_line_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "redemptions_standing_voucher_key" ON "redemptions"  ("voucher_id") WHERE "status" IN ('completed', 'partly_refunded')`);
    await queryRunner.query(`ALTER TABLE "refunds" ADD CONSTRAINT "FK_fdde5328c4082049888fd2d3818" FOREIGN KEY ("redemption_id") REFERENCES "redemptions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "clawbacks" ADD CONSTRAINT "FK_2224eac9c00fc5701db25688f10" FOREIGN KEY ("refund_id") REFERENCES "refunds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clawbacks" DROP CONSTRAINT "FK_2224eac9c00fc5701db25688f10"`);
    await queryRunner.query(`ALTER TABLE "refunds" DROP CONSTRAINT "FK_fdde5328c4082049888fd2d3818"`);
    await queryRunner.query(`DROP INDEX "public"."redemptions_standing_voucher_key"`);
    await queryRunner.query(`DROP INDEX "public"."redemptions_settlement_line_idx"`);
    await queryRunner.query(`ALTER TABLE "redemptions" DROP COLUMN "settlement_line_id"`);
    await queryRunner.query(`ALTER TABLE "redemptions" DROP COLUMN "refunded_amount_fen"`);
    await queryRunner.query(`ALTER TABLE "redemptions" DROP COLUMN "code_digest"`);
    await queryRunner.query(`ALTER TABLE "redemptions" DROP COLUMN "cashier_id"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "partial_refund_policy"`);
    await queryRunner.query(`DROP INDEX "public"."clawbacks_open_idx"`);
    await queryRunner.query(`DROP TABLE "clawbacks"`);
    await queryRunner.query(`DROP INDEX "public"."refunds_merchant_date_idx"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
  }
}
