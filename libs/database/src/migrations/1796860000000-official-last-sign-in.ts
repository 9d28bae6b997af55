import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each official last signed in, on their row (Official.lastSignInAt says why not read from
 * the audit log), so an account administrator sees dormant accounts. Filled from the sign-ins
 * the audit log holds (its months not archived); an account with none reads as never signed in.
 */
export class OfficialLastSignIn1796860000000 implements MigrationInterface {
  name = 'OfficialLastSignIn1796860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "officials" ADD "last_sign_in_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
      UPDATE "officials" o
         SET "last_sign_in_at" = s.at
        FROM (SELECT "target_id", max("at") AS at FROM "audit_log"
               WHERE "action" = 'official.sign_in' AND "target_type" = 'official'
               GROUP BY "target_id") s
       WHERE s."target_id" = o."public_id"::text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "officials" DROP COLUMN "last_sign_in_at"`);
  }
}
