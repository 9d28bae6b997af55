import { MigrationInterface, QueryRunner } from 'typeorm';

/** What rounds created before the source was recorded show: that nothing was announced. */
const NOT_ANNOUNCED = '未在报名前公布（本轮创建时尚未登记公开值来源） / Not announced before sign-up: the round predates recorded sources';

/**
 * A lottery round's public value source (开奖依据): the publisher, the figure and the date the
 * public value will be read from, named when the round is created and published with its
 * commitment. Without it nothing said in advance where the value would come from, and the
 * officials could pick, after sign-up closed, the index or the day that gave a draw they liked.
 *
 * NOT NULL for every row, rather than nullable with a check on new rows only: every reader
 * (residents' view, officials' read, results file) then always has a text to show, and the
 * rounds created before this say plainly that no source was announced (NOT_ANNOUNCED), which is
 * the truth about them; a blank would read as a fault of the page. The default is only for the
 * backfill and is dropped: a new round names its own (campaign-rules.ts refuses one without).
 *
 * The source never changes once set: a trigger refuses an update of it (as the four eyes are
 * held by the table too), so neither a route added later nor a hand-run UPDATE can move it.
 */
export class LotteryPublicValueSource1796850000000 implements MigrationInterface {
  name = 'LotteryPublicValueSource1796850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lottery_draws" ADD "public_value_source" character varying(200) NOT NULL DEFAULT '${NOT_ANNOUNCED}'`);
    await queryRunner.query(`ALTER TABLE "lottery_draws" ALTER COLUMN "public_value_source" DROP DEFAULT`);
    await queryRunner.query(`
      CREATE FUNCTION lottery_draws_source_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a lottery round''s public value source is fixed at its creation' USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER lottery_draws_source_fixed BEFORE UPDATE OF public_value_source ON "lottery_draws" FOR EACH ROW
       WHEN (OLD.public_value_source IS DISTINCT FROM NEW.public_value_source) EXECUTE FUNCTION lottery_draws_source_fixed()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER lottery_draws_source_fixed ON "lottery_draws"`);
    await queryRunner.query(`DROP FUNCTION lottery_draws_source_fixed()`);
    await queryRunner.query(`ALTER TABLE "lottery_draws" DROP COLUMN "public_value_source"`);
  }
}
