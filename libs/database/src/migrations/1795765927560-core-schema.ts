import { MigrationInterface, QueryRunner } from 'typeorm';

/** The core tables every app stands on; later migrations refine them feature by feature. */
export class CoreSchema1795765927560 implements MigrationInterface {
  name = 'CoreSchema1795765927560';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "actor_id" character varying(64) NOT NULL, "actor_role" character varying(32) NOT NULL, "action" character varying(64) NOT NULL, "target_type" character varying(32) NOT NULL, "target_id" character varying(64) NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "request_id" character varying(64), "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "audit_log_target_idx" ON "audit_log"  ("target_type", "target_id") `);
    await queryRunner.query(`CREATE TABLE "campaigns" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "categories" text array NOT NULL, "districts" text array NOT NULL, "budget_fen" bigint NOT NULL, "city_share_bp" integer NOT NULL, "validity_days" integer, "valid_until" TIMESTAMP WITH TIME ZONE, "per_person_limit" integer NOT NULL, "returns_to_pool" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL DEFAULT 'draft', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_eab649576ea0262362c6b4ef253" UNIQUE ("public_id"), CONSTRAINT "campaigns_city_share_check" CHECK ("city_share_bp" BETWEEN 0 AND 10000), CONSTRAINT "campaigns_budget_check" CHECK ("budget_fen" >= 0), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "ledger_entries" ("id" BIGSERIAL NOT NULL, "posting_id" uuid NOT NULL, "account" character varying(96) NOT NULL, "debit_fen" bigint NOT NULL DEFAULT '0', "credit_fen" bigint NOT NULL DEFAULT '0', "ref_type" character varying(32) NOT NULL, "ref_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ledger_entries_one_side_check" CHECK (("debit_fen" > 0 AND "credit_fen" = 0) OR ("credit_fen" > 0 AND "debit_fen" = 0)), CONSTRAINT "PK_6efcb84411d3f08b08450ae75d5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries"  ("account") `);
    await queryRunner.query(`CREATE INDEX "ledger_entries_posting_idx" ON "ledger_entries"  ("posting_id") `);
    await queryRunner.query(`CREATE TABLE "merchants" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "credit_code" character(18) NOT NULL, "registered_name" character varying(200) NOT NULL, "shop_name" character varying(200) NOT NULL, "district" character varying(16) NOT NULL, "category" character varying(32) NOT NULL, "address" character varying(300) NOT NULL, "latitude" double precision, "longitude" double precision, "contact_phone" character varying(20), "bank_account_name" character varying(200), "bank_name" character varying(100), "bank_account_cipher" text, "bank_account_masked" character varying(40), "status" character varying(16) NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a283e4eabc28187edac5edc29d0" UNIQUE ("public_id"), CONSTRAINT "UQ_ab17235a4ddad5fed7c0bd90f4d" UNIQUE ("credit_code"), CONSTRAINT "PK_4fd312ef25f8e05ad47bfe7ed25" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "merchants_district_category_status_idx" ON "merchants"  ("district", "category", "status") `);
    await queryRunner.query(`CREATE TABLE "merchant_staff" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "merchant_id" bigint NOT NULL, "phone" character varying(20) NOT NULL, "name" character varying(64) NOT NULL, "role" character varying(32) NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_10e829e1dc0bbbbc69fb6656ce3" UNIQUE ("public_id"), CONSTRAINT "merchant_staff_merchant_phone_key" UNIQUE ("merchant_id", "phone"), CONSTRAINT "PK_5bdc684c5552616938a685883e0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "officials" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "phone" character varying(20) NOT NULL, "name" character varying(64) NOT NULL, "role" character varying(32) NOT NULL, "district" character varying(16), "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c7fd3cead65607d329e4a882bef" UNIQUE ("public_id"), CONSTRAINT "UQ_37bc042234cd775829c2e284f73" UNIQUE ("phone"), CONSTRAINT "PK_4e1cbe0d999f0d27205ca7b908d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "residents" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "phone" character varying(20) NOT NULL, "real_name" character varying(64), "id_number_hash" character(64), "id_number_masked" character varying(18), "verified_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_98a3684896bd476e58373a8bcb4" UNIQUE ("public_id"), CONSTRAINT "UQ_3f029291ff8f7f09ac7bd793711" UNIQUE ("phone"), CONSTRAINT "UQ_f0857216300ed31514e5ded0320" UNIQUE ("id_number_hash"), CONSTRAINT "PK_4c8d0413ee0e9a4ebbf500f7365" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "voucher_types" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "campaign_id" bigint NOT NULL, "name" character varying(64) NOT NULL, "face_value_fen" bigint NOT NULL, "threshold_fen" bigint NOT NULL, CONSTRAINT "UQ_b558ec04215e7124508aaef9db1" UNIQUE ("public_id"), CONSTRAINT "voucher_types_amounts_check" CHECK ("face_value_fen" > 0 AND "threshold_fen" >= "face_value_fen"), CONSTRAINT "PK_47e99714ff7105621d7104b7fad" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "rounds" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE, "quantity" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_1c03e1668d7293af7d44dc8922a" UNIQUE ("public_id"), CONSTRAINT "rounds_quantity_check" CHECK ("quantity" >= 0), CONSTRAINT "PK_9d254884a20817016e2f877c7e7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "vouchers" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "campaign_id" bigint NOT NULL, "round_id" bigint NOT NULL, "resident_id" bigint NOT NULL, "person_seq" smallint NOT NULL, "face_value_fen" bigint NOT NULL, "threshold_fen" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'claimed', "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "redeemed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_1c7383a4c3044166c5f12e90fa4" UNIQUE ("public_id"), CONSTRAINT "vouchers_campaign_resident_seq_key" UNIQUE ("campaign_id", "resident_id", "person_seq"), CONSTRAINT "vouchers_round_resident_key" UNIQUE ("round_id", "resident_id"), CONSTRAINT "PK_ed1b7dd909a696560763acdbc04" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "vouchers_resident_claimed_idx" ON "vouchers"  ("resident_id", "claimed_at") `);
    await queryRunner.query(`CREATE TABLE "redemptions" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "voucher_id" bigint NOT NULL, "merchant_id" bigint NOT NULL, "merchant_order_no" character varying(64) NOT NULL, "order_amount_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "city_fen" bigint NOT NULL, "district_fen" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'completed', "redeemed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "business_date" date NOT NULL, CONSTRAINT "UQ_b4643196eff1e725cd547403a8e" UNIQUE ("public_id"), CONSTRAINT "redemptions_merchant_order_key" UNIQUE ("merchant_id", "merchant_order_no"), CONSTRAINT "PK_def143ab94376fea5985bb04219" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "redemptions_business_date_idx" ON "redemptions"  ("business_date") `);
    await queryRunner.query(`CREATE TABLE "settlement_batches" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "business_date" date NOT NULL, "status" character varying(24) NOT NULL DEFAULT 'building', "line_count" integer NOT NULL DEFAULT '0', "total_fen" bigint NOT NULL DEFAULT '0', "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_6f60f797f8e6f75e9ad4213f36f" UNIQUE ("public_id"), CONSTRAINT "UQ_6de880ed8b8bcb279fd404f39ce" UNIQUE ("business_date"), CONSTRAINT "PK_00b85180bf3f12da09536cd14ba" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "settlement_lines" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "batch_id" bigint NOT NULL, "merchant_id" bigint NOT NULL, "redemption_count" integer NOT NULL, "amount_fen" bigint NOT NULL, "city_fen" bigint NOT NULL, "district_fen" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', CONSTRAINT "UQ_2d2361ad0e5fd2451ba9851e923" UNIQUE ("public_id"), CONSTRAINT "settlement_lines_batch_merchant_key" UNIQUE ("batch_id", "merchant_id"), CONSTRAINT "PK_82a2947e08fa4fbc13b92c8ed31" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "merchant_staff" ADD CONSTRAINT "FK_fc57a1f3afae5192e52c0bbbcd2" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "voucher_types" ADD CONSTRAINT "FK_668a7689fdf1899c6c1675bf951" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD CONSTRAINT "FK_45ad47ab12f1054aada78849cd7" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD CONSTRAINT "FK_a29fbbbe516d9f2575503d663eb" FOREIGN KEY ("voucher_type_id") REFERENCES "voucher_types"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD CONSTRAINT "FK_1703ace656df8c625aa4ce809c8" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD CONSTRAINT "FK_cd74184d83f2523f2a95b04cbf3" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "vouchers" ADD CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35" FOREIGN KEY ("voucher_id") REFERENCES "vouchers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_49de51193e2922007aeebcb280b" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD CONSTRAINT "FK_5e128fadf5362f4633f10e9ee55" FOREIGN KEY ("batch_id") REFERENCES "settlement_batches"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" ADD CONSTRAINT "FK_6a6c1b6836816c67d9e575e3470" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    // The audit log is append-only: no role, not even the app's own, may rewrite history.
    await queryRunner.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_log_append_only ON "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP CONSTRAINT "FK_6a6c1b6836816c67d9e575e3470"`);
    await queryRunner.query(`ALTER TABLE "settlement_lines" DROP CONSTRAINT "FK_5e128fadf5362f4633f10e9ee55"`);
    await queryRunner.query(`ALTER TABLE "redemptions" DROP CONSTRAINT "FK_49de51193e2922007aeebcb280b"`);
    await queryRunner.query(`ALTER TABLE "redemptions" DROP CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_dd7b41a94be9c53edbdfbd1a89f"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_cd74184d83f2523f2a95b04cbf3"`);
    await queryRunner.query(`ALTER TABLE "vouchers" DROP CONSTRAINT "FK_1703ace656df8c625aa4ce809c8"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "FK_a29fbbbe516d9f2575503d663eb"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "FK_45ad47ab12f1054aada78849cd7"`);
    await queryRunner.query(`ALTER TABLE "voucher_types" DROP CONSTRAINT "FK_668a7689fdf1899c6c1675bf951"`);
    await queryRunner.query(`ALTER TABLE "merchant_staff" DROP CONSTRAINT "FK_fc57a1f3afae5192e52c0bbbcd2"`);
    await queryRunner.query(`DROP TABLE "settlement_lines"`);
    await queryRunner.query(`DROP TABLE "settlement_batches"`);
    await queryRunner.query(`DROP INDEX "public"."redemptions_business_date_idx"`);
    await queryRunner.query(`DROP TABLE "redemptions"`);
    await queryRunner.query(`DROP INDEX "public"."vouchers_resident_claimed_idx"`);
    await queryRunner.query(`DROP TABLE "vouchers"`);
    await queryRunner.query(`DROP TABLE "rounds"`);
    await queryRunner.query(`DROP TABLE "voucher_types"`);
    await queryRunner.query(`DROP TABLE "residents"`);
    await queryRunner.query(`DROP TABLE "officials"`);
    await queryRunner.query(`DROP TABLE "merchant_staff"`);
    await queryRunner.query(`DROP INDEX "public"."merchants_district_category_status_idx"`);
    await queryRunner.query(`DROP TABLE "merchants"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_posting_idx"`);
    await queryRunner.query(`DROP INDEX "public"."ledger_entries_account_idx"`);
    await queryRunner.query(`DROP TABLE "ledger_entries"`);
    await queryRunner.query(`DROP TABLE "campaigns"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_target_idx"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
