import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Postgres, not Redis, holds how many vouchers a round has given out (DESIGN §4.7, §5).
 *
 * A statement-level trigger raises each round's `issued` by the rows a statement inserted into
 * vouchers, one small update per round per statement (a batch of the claim writer is one
 * statement), and the check refuses the whole statement once a round would pass its quantity.
 * So a Redis that came back with old data (a snapshot, a lagging replica) can cost a 503, never
 * an oversold voucher, whichever code inserts the rows. Rows a conflict skipped are not in the
 * transition table and are not counted. Rounds are updated in id order, so two batches that
 * touch the same rounds cannot deadlock. Vouchers are never deleted (voucher_parents_kept
 * keeps their parents; nothing deletes a voucher); whatever moves one to another round later
 * must move its count too.
 */
export class RoundIssuedBackstop1795810000000 implements MigrationInterface {
  name = 'RoundIssuedBackstop1795810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rounds" ADD "issued" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`UPDATE "rounds" r SET "issued" = (SELECT count(*) FROM "vouchers" v WHERE v."round_id" = r."id")`);
    await queryRunner.query(`ALTER TABLE "rounds" ADD CONSTRAINT "rounds_issued_check" CHECK ("issued" >= 0 AND "issued" <= "quantity")`);
    await queryRunner.query(`
      CREATE FUNCTION rounds_count_issued() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added record;
      BEGIN
        FOR added IN SELECT round_id, count(*)::int AS n FROM new_vouchers GROUP BY round_id ORDER BY round_id LOOP
          UPDATE rounds SET issued = issued + added.n WHERE id = added.round_id;
        END LOOP;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER vouchers_count_issued AFTER INSERT ON "vouchers" REFERENCING NEW TABLE AS new_vouchers
       FOR EACH STATEMENT EXECUTE FUNCTION rounds_count_issued()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER vouchers_count_issued ON "vouchers"`);
    await queryRunner.query(`DROP FUNCTION rounds_count_issued()`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP CONSTRAINT "rounds_issued_check"`);
    await queryRunner.query(`ALTER TABLE "rounds" DROP COLUMN "issued"`);
  }
}
