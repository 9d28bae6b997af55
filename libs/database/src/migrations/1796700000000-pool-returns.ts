import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Return to the pool (回流, DESIGN §8): each campaign's return policy (the older returns_to_pool
 * flag becomes next_round or none), the budget it handed back to the program, and one row per
 * return, unique per source (an expiry run's round, or a closed round).
 */
export class PoolReturns1796700000000 implements MigrationInterface {
  name = 'PoolReturns1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "pool_returns" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "source_key" character varying(80) NOT NULL, "source" character varying(16) NOT NULL, "expiry_run_id" bigint, "source_round_id" bigint NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "destination" character varying(16) NOT NULL, "target_round_id" bigint, "vouchers" integer NOT NULL, "value_fen" bigint NOT NULL, "city_fen" bigint NOT NULL, "district_fen" bigint NOT NULL, "redis_stock" integer NOT NULL, "redis_budget_fen" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "redis_applied_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_7c542f3c2fde7412bf00c18b1e7" UNIQUE ("public_id"), CONSTRAINT "UQ_2f8d6517701ca304e83c2c19ef7" UNIQUE ("source_key"), CONSTRAINT "pool_returns_source_check" CHECK (("source" = 'expiry') = ("expiry_run_id" IS NOT NULL)), CONSTRAINT "pool_returns_destination_check" CHECK (("destination" = 'next_round' AND "target_round_id" IS NOT NULL AND "redis_stock" = "vouchers") OR ("destination" <> 'next_round' AND "target_round_id" IS NULL AND "redis_stock" = 0)), CONSTRAINT "pool_returns_split_check" CHECK ("city_fen" + "district_fen" = "value_fen"), CONSTRAINT "pool_returns_amounts_check" CHECK ("vouchers" >= 0 AND "value_fen" >= 0 AND "city_fen" >= 0 AND "district_fen" >= 0), CONSTRAINT "PK_633b3befdfadbb86942fafd672d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "pool_returns_redis_pending_idx" ON "pool_returns"  ("id") WHERE "redis_applied_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "pool_returns_campaign_idx" ON "pool_returns"  ("campaign_id") `);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "return_policy" character varying(16) NOT NULL DEFAULT 'none'`);
    await queryRunner.query(`UPDATE "campaigns" SET "return_policy" = 'next_round' WHERE "returns_to_pool"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "returns_to_pool"`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "returned_fen" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_returned_check" CHECK ("returned_fen" >= 0)`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_return_policy_check" CHECK ("return_policy" IN ('none', 'next_round', 'program_budget'))`);
    // The budget a campaign handed back to the program is its program_budget returns, no more, no
    // less: checked at commit (deferred) for every return recorded and every change of the counter,
    // so neither can be written without the other.
    await queryRunner.query(`
      CREATE FUNCTION campaign_returns_agree() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE counted bigint; returned bigint;
      BEGIN
        SELECT c.returned_fen, COALESCE((SELECT sum(p.value_fen) FROM pool_returns p
                                          WHERE p.campaign_id = c.id AND p.destination = 'program_budget'), 0)
          INTO counted, returned FROM campaigns c WHERE c.id = NEW.campaign_id;
        IF counted <> returned THEN
          RAISE EXCEPTION 'campaign %: returned_fen % is not its program_budget returns (% fen)', NEW.campaign_id, counted, returned
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER pool_returns_agree AFTER INSERT OR UPDATE ON pool_returns
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION campaign_returns_agree()`);
    await queryRunner.query(`
      CREATE FUNCTION campaign_returned_agrees() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.returned_fen <> COALESCE((SELECT sum(p.value_fen) FROM pool_returns p
                                          WHERE p.campaign_id = NEW.id AND p.destination = 'program_budget'), 0) THEN
          RAISE EXCEPTION 'campaign %: returned_fen % is not its program_budget returns', NEW.id, NEW.returned_fen
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER campaigns_returned_agrees AFTER UPDATE OF returned_fen ON campaigns
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION campaign_returned_agrees()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER campaigns_returned_agrees ON campaigns`);
    await queryRunner.query(`DROP FUNCTION campaign_returned_agrees()`);
    await queryRunner.query(`DROP TRIGGER pool_returns_agree ON pool_returns`);
    await queryRunner.query(`DROP FUNCTION campaign_returns_agree()`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_return_policy_check"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP CONSTRAINT "campaigns_returned_check"`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "returned_fen"`);
    await queryRunner.query(`ALTER TABLE "campaigns" ADD "returns_to_pool" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE "campaigns" SET "returns_to_pool" = ("return_policy" = 'next_round')`);
    await queryRunner.query(`ALTER TABLE "campaigns" DROP COLUMN "return_policy"`);
    await queryRunner.query(`DROP INDEX "public"."pool_returns_campaign_idx"`);
    await queryRunner.query(`DROP INDEX "public"."pool_returns_redis_pending_idx"`);
    await queryRunner.query(`DROP TABLE "pool_returns"`);
  }
}
