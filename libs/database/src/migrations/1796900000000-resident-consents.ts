import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * resident_consents: the consents residents gave (ResidentConsent), kind and privacy notice
 * version and time, written with the sign-in or the real-name verification they allow. One row a
 * resident, kind and version (the first time). Residents who signed in before this table existed
 * have none until their next sign-in or verification.
 */
export class ResidentConsents1796900000000 implements MigrationInterface {
  name = 'ResidentConsents1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "resident_consents" (
        "id" BIGSERIAL NOT NULL,
        "resident_id" bigint NOT NULL,
        "kind" character varying(32) NOT NULL,
        "version" character varying(32) NOT NULL,
        "given_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "resident_consents_kind_version_key" UNIQUE ("resident_id", "kind", "version"),
        CONSTRAINT "resident_consents_pkey" PRIMARY KEY ("id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "resident_consents"`);
  }
}
