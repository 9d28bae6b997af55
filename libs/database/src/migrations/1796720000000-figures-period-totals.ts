import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The additive totals of whole closed periods (issue 18: a month's read grouped its days'
 * figures_days rows on every read, the slowest of bench:figures' reads): figures_period_totals
 * holds, for each closed day, week and month of figures_party_periods, the figures of each
 * grouping an answer may need, keyed as figures_party_counts is. Written by the settlement app
 * (PeriodTotals), never by the till's triggers: the till's cost is unchanged.
 *
 * A closed day's totals still move when a voucher's expiry lands on it late (the hourly expiry
 * run, a refund of an expired voucher's redemption): the expiry trigger marks the closed periods
 * holding that day totals_stale, and a read or the close job stores them again. It takes a shared
 * lock that PeriodTotals takes exclusively while it stores, so a store either sees an expiry or
 * its period is marked after it: stored totals are never older than figures_days unmarked.
 * Periods closed before this migration have no totals yet: stale, stored by their next read.
 */
const KEY = 'day, campaign_id, voucher_type_id, district, category';

const MEASURES = [
  'claimed',
  'claimed_fen',
  'redeemed',
  'order_amount_fen',
  'discount_fen',
  'city_fen',
  'district_fen',
  'refunded',
  'refund_amount_fen',
  'reversed_fen',
  'reversed_city_fen',
  'reversed_district_fen',
  'expired',
  'expired_fen',
];

/** The expiry trigger's function, as FiguresRollup wrote it, or with the closed periods' totals marked stale. */
function expiryFunction(marksClosedPeriods: boolean): string {
  const lock = marksClosedPeriods ? `PERFORM pg_advisory_xact_lock_shared(hashtext('figures_period_totals'));` : '';
  const mark = marksClosedPeriods
    ? `UPDATE figures_party_periods SET totals_stale = true
            WHERE closed AND period_start <= (change.at AT TIME ZONE 'Asia/Shanghai')::date
              AND period_end >= (change.at AT TIME ZONE 'Asia/Shanghai')::date;`
    : '';
  return `
      CREATE OR REPLACE FUNCTION figures_count_expiry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        change record;
      BEGIN
        ${lock}
        FOR change IN
          SELECT * FROM (VALUES (OLD.expires_at, -1, OLD.status = 'expired'), (NEW.expires_at, 1, NEW.status = 'expired')) AS x(at, sign, counts)
           WHERE x.counts ORDER BY x.sign
        LOOP
          INSERT INTO figures_days AS f (${KEY}, slot, expired, expired_fen)
          SELECT (change.at AT TIME ZONE 'Asia/Shanghai')::date, NEW.campaign_id, r.voucher_type_id,
                 figures_claim_district(c.districts), figures_claim_category(c.categories), figures_slot(),
                 change.sign, change.sign * NEW.face_value_fen
            FROM rounds r, campaigns c WHERE r.id = NEW.round_id AND c.id = NEW.campaign_id
          ON CONFLICT (${KEY}, slot) DO UPDATE SET expired = f.expired + EXCLUDED.expired, expired_fen = f.expired_fen + EXCLUDED.expired_fen;
          ${mark}
        END LOOP;
        RETURN NULL;
      END $$`;
}

export class FiguresPeriodTotals1796720000000 implements MigrationInterface {
  name = 'FiguresPeriodTotals1796720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const measures = MEASURES.map((measure) => `"${measure}" bigint NOT NULL`).join(', ');
    await queryRunner.query(`CREATE TABLE "figures_period_totals" ("period" character varying(8) NOT NULL, "period_start" date NOT NULL, "dimension" character varying(24) NOT NULL, "district" character varying(16) NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "category" character varying(32) NOT NULL, ${measures}, CONSTRAINT "PK_figures_period_totals" PRIMARY KEY ("period", "period_start", "dimension", "district", "campaign_id", "voucher_type_id", "category"))`);
    await queryRunner.query(`ALTER TABLE "figures_party_periods" ADD "totals_stale" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(expiryFunction(true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(expiryFunction(false));
    await queryRunner.query(`ALTER TABLE "figures_party_periods" DROP COLUMN "totals_stale"`);
    await queryRunner.query(`DROP TABLE "figures_period_totals"`);
  }
}
