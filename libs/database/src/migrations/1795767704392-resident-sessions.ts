import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResidentSessions1795767704392 implements MigrationInterface {
  name = 'ResidentSessions1795767704392';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "refresh_tokens" ("id" BIGSERIAL NOT NULL, "public_id" uuid NOT NULL, "resident_id" bigint NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_344ffb43a057577562a52bedb8e" UNIQUE ("public_id"), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "refresh_tokens_resident_idx" ON "refresh_tokens"  ("resident_id") `);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_608b462f24dab708b9a0f403354" FOREIGN KEY ("resident_id") REFERENCES "residents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_608b462f24dab708b9a0f403354"`);
    await queryRunner.query(`DROP INDEX "public"."refresh_tokens_resident_idx"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
  }
}
