import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices about one lottery round (kind lottery_won: "you won"), beside the daily expiry
 * reminders. A round's notice names its round, and is one per resident and round; the daily
 * notices name none, and keep their "at most one" per resident, kind and day decided, and per
 * resident, kind and expiry date, as partial unique indexes over them alone: a resident who wins
 * two rounds in one day is told of each. The round's key leads with the round, so the officials'
 * view of a draw counts how its winners were told without reading other rounds' notices.
 */
export class LotteryWonNotices1796920000000 implements MigrationInterface {
  name = 'LotteryWonNotices1796920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resident_notices" ADD "round_id" bigint`);
    await queryRunner.query(`ALTER TABLE "resident_notices" DROP CONSTRAINT "resident_notices_notice_date_key"`);
    await queryRunner.query(`ALTER TABLE "resident_notices" DROP CONSTRAINT "resident_notices_expiry_date_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "resident_notices_notice_date_key" ON "resident_notices" ("resident_id", "kind", "notice_date") WHERE "round_id" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "resident_notices_expiry_date_key" ON "resident_notices" ("resident_id", "kind", "expiry_date") WHERE "round_id" IS NULL`,
    );
    // Round first: the officials' view of a draw counts its round's notices through it.
    await queryRunner.query(`CREATE UNIQUE INDEX "resident_notices_round_key" ON "resident_notices" ("round_id", "resident_id") WHERE "round_id" IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "resident_notices" ADD CONSTRAINT "resident_notices_round_check" CHECK (("kind" = 'lottery_won') = ("round_id" IS NOT NULL))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "resident_notices" WHERE "round_id" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "resident_notices" DROP CONSTRAINT "resident_notices_round_check"`);
    await queryRunner.query(`DROP INDEX "resident_notices_round_key"`);
    await queryRunner.query(`DROP INDEX "resident_notices_expiry_date_key"`);
    await queryRunner.query(`DROP INDEX "resident_notices_notice_date_key"`);
    await queryRunner.query(
      `ALTER TABLE "resident_notices" ADD CONSTRAINT "resident_notices_expiry_date_key" UNIQUE ("resident_id", "kind", "expiry_date")`,
    );
    await queryRunner.query(
      `ALTER TABLE "resident_notices" ADD CONSTRAINT "resident_notices_notice_date_key" UNIQUE ("resident_id", "kind", "notice_date")`,
    );
    await queryRunner.query(`ALTER TABLE "resident_notices" DROP COLUMN "round_id"`);
  }
}
