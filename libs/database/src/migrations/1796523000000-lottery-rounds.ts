import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lottery rounds (摇号): a round's kind and sign-up window; per lottery round its published
 * facts (lottery_draws, four eyes on the public value held by a check), its secret seed apart
 * (lottery_seeds, read by the draw only), the entries (one per resident and round) and the drawn
 * entrants (lottery_outcomes: winners with their voucher, skips with their reason).
 */
export class LotteryRounds1796523000000 implements MigrationInterface {
  name = 'LotteryRounds1796523000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "lottery_draws" ("round_id" bigint NOT NULL, "salt" character(64) NOT NULL, "commitment" character(64) NOT NULL, "frozen_at" TIMESTAMP WITH TIME ZONE, "entrants_count" integer, "entrants_digest" character(64), "proposed_value" character varying(200), "proposed_by" uuid, "proposed_at" TIMESTAMP WITH TIME ZONE, "public_value" character varying(200), "confirmed_by" uuid, "confirmed_at" TIMESTAMP WITH TIME ZONE, "revealed_seed" character(64), "drawn_at" TIMESTAMP WITH TIME ZONE, "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "lottery_draws_four_eyes" CHECK ("confirmed_by" IS NULL OR ("proposed_by" IS NOT NULL AND "confirmed_by" <> "proposed_by")), CONSTRAINT "PK_61e0f1614a4eec81ca593ae5599" PRIMARY KEY ("round_id"))`);
    await queryRunner.query(`CREATE TABLE "lottery_entries" ("id" BIGSERIAL NOT NULL, "round_id" bigint NOT NULL, "resident_id" bigint NOT NULL, "entry_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "lottery_entries_round_resident_key" UNIQUE ("round_id", "resident_id"), CONSTRAINT "PK_3e15858fc4986c40f807613a9bf" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "lottery_outcomes" ("round_id" bigint NOT NULL, "rank" integer NOT NULL, "entry_hash" character(64) NOT NULL, "resident_id" bigint NOT NULL, "outcome" character varying(8) NOT NULL, "skip_reason" character varying(32), "voucher_id" bigint, CONSTRAINT "lottery_outcomes_kind_check" CHECK (("outcome" = 'won' AND "voucher_id" IS NOT NULL AND "skip_reason" IS NULL) OR ("outcome" = 'skipped' AND "voucher_id" IS NULL AND "skip_reason" IS NOT NULL)), CONSTRAINT "PK_65c0be477422769161bf89520b2" PRIMARY KEY ("round_id", "rank"))`);
    await queryRunner.query(`CREATE TABLE "lottery_seeds" ("round_id" bigint NOT NULL, "seed" character(64) NOT NULL, CONSTRAINT "PK_5df0117ae870eed3cd1a6a14f7a" PRIMARY KEY ("round_id"))`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD "kind" character varying(16) NOT NULL DEFAULT 'grab'`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD "signup_opens_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD "signup_closes_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD CONSTRAINT "rounds_signup_window_check" CHECK (("kind" = 'grab' AND "signup_opens_at" IS NULL AND "signup_closes_at" IS NULL) OR ("kind" = 'lottery' AND "signup_opens_at" < "signup_closes_at"))`);
    await queryRunner.query(`ALTER TABLE "lottery_draws" ADD CONSTRAINT "FK_61e0f1614a4eec81ca593ae5599" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "lottery_entries" ADD CONSTRAINT "FK_759fd5386356aef4f57e95dad50" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "lottery_entries" ADD CONSTRAINT "FK_abf0040e351aa5d431a2b868afd" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "lottery_outcomes" ADD CONSTRAINT "FK_03bfbb96d5d1021b7fd4a7f3db6" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "lottery_seeds" ADD CONSTRAINT "FK_5df0117ae870eed3cd1a6a14f7a" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lottery_seeds" DROP CONSTRAINT "FK_5df0117ae870eed3cd1a6a14f7a"`);
    await queryRunner.query(`ALTER TABLE "lottery_outcomes" DROP CONSTRAINT "FK_03bfbb96d5d1021b7fd4a7f3db6"`);
    await queryRunner.query(`ALTER TABLE "lottery_entries" DROP CONSTRAINT "FK_abf0040e351aa5d431a2b868afd"`);
    await queryRunner.query(`ALTER TABLE "lottery_entries" DROP CONSTRAINT "FK_759fd5386356aef4f57e95dad50"`);
    await queryRunner.query(`ALTER TABLE "lottery_draws" DROP CONSTRAINT "FK_61e0f1614a4eec81ca593ae5599"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "rounds_signup_window_check"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "signup_closes_at"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "signup_opens_at"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "kind"`);
    await queryRunner.query(`DROP TABLE "lottery_seeds"`);
    await queryRunner.query(`DROP TABLE "lottery_outcomes"`);
    await queryRunner.query(`DROP TABLE "lottery_entries"`);
    await queryRunner.query(`DROP TABLE "lottery_draws"`);
  }
}
