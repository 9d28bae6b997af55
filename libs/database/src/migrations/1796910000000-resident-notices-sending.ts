import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * resident_notices_sending_idx: the notices taken for sending and not yet ended. A reminders run
 * finds those whose sender died between the take and the record (END_ABANDONED) through it,
 * without reading the table's sent and stale millions.
 */
export class ResidentNoticesSending1796910000000 implements MigrationInterface {
  name = 'ResidentNoticesSending1796910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "resident_notices_sending_idx" ON "resident_notices" ("kind", "taken_at") WHERE "state" = 'sending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "resident_notices_sending_idx"`);
  }
}
