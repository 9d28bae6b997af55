import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The city's part of a voucher's subsidy, written once: the face value times the campaign's
 * city share in basis points, rounded down to the fen; the merchant's district pays the rest,
 * so the two parts always add up to the face value. The till's statement (redeem.sql.ts) splits
 * with it, and so does anything that writes redemptions in SQL (the benchmarks' seeded days).
 * A plain SQL expression, IMMUTABLE: Postgres inlines it into the statements that call it.
 */
export class CityPartFunction1796300000000 implements MigrationInterface {
  name = 'CityPartFunction1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION city_part_fen(face_fen bigint, city_share_bp integer) RETURNS bigint
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT face_fen * city_share_bp / 10000 $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION city_part_fen(bigint, integer)`);
  }
}
