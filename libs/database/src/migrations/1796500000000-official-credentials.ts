import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officials sign in themselves (a password and TOTP) instead of holding tokens the demo signed:
 * their credentials, the lock after failed sign-ins, the outstanding activation code, and the
 * token version that lets a disabling or reset refuse live access tokens at once.
 */
export class OfficialCredentials1796500000000 implements MigrationInterface {
  name = 'OfficialCredentials1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "officials" ADD "password_hash" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "totp_secret" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "totp_last_step" integer`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "failed_attempts" smallint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "locked_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "activation_code_hash" character(64)`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "activation_expires_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "officials" ADD "token_version" integer NOT NULL DEFAULT '0'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of [
      'token_version',
      'activation_expires_at',
      'activation_code_hash',
      'locked_until',
      'failed_attempts',
      'totp_last_step',
      'totp_secret',
      'password_hash',
    ]) {
      await queryRunner.query(`ALTER TABLE "officials" DROP COLUMN "${column}"`);
    }
  }
}
