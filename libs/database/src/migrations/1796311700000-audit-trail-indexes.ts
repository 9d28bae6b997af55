import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail's filters (GET /v1/audit/entries): by actor and by action, newest first by id; by time. */
export class AuditTrailIndexes1796311700000 implements MigrationInterface {
  name = 'AuditTrailIndexes1796311700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "audit_log_at_idx" ON "audit_log"  ("at") `);
    await queryRunner.query(`CREATE INDEX "audit_log_action_idx" ON "audit_log"  ("action", "id") `);
    await queryRunner.query(`CREATE INDEX "audit_log_actor_idx" ON "audit_log"  ("actor_id", "id") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_log_actor_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_action_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_at_idx"`);
  }
}
