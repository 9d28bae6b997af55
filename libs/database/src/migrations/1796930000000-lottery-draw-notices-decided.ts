import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * lottery_draws.notices_decided_at: when the settlement worker decided the SMS to a draw's winners.
 * Each published draw's winners are then read once, by the first run after its publication, not
 * by every run (every ten minutes) while the draw is recent.
 */
export class LotteryDrawNoticesDecided1796930000000 implements MigrationInterface {
  name = 'LotteryDrawNoticesDecided1796930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lottery_draws" ADD "notices_decided_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "lottery_draws" DROP COLUMN "notices_decided_at"`);
  }
}
