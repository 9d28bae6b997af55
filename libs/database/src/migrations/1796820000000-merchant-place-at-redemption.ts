import { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'day, campaign_id, voucher_type_id, district, category';

/**
 * A redemption and a refund keep the merchant's district and category as they were at the
 * redemption (merchant_district, merchant_category). The ledger posts a redemption's district
 * share to that district's budget at the time; everything read later took the merchant's row as
 * it is now. So once a merchant moved district (the registry's import changes it), a refund
 * credited the new district's budget for a subsidy the old one paid, the figures' running totals
 * (counted at write time) no longer matched their recount (which joined the merchant now), and
 * the reconciliation's ledger check no longer found the old district's legs.
 *
 * The till and the refund write the columns themselves; any other insert (the demo, the
 * benchmarks' seeds) has them filled by a BEFORE INSERT trigger: a redemption from its merchant,
 * a refund from its redemption (from its merchant when the redemption's month is archived). Existing rows take the merchant's place now, the best there is.
 * The figures' triggers count by the stored place.
 */
export class MerchantPlaceAtRedemption1796820000000 implements MigrationInterface {
  name = 'MerchantPlaceAtRedemption1796820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    for (const table of ['redemptions', 'refunds']) {
      await q(`ALTER TABLE "${table}" ADD "merchant_district" character varying(16), ADD "merchant_category" character varying(32)`);
    }
    await q(`UPDATE redemptions d SET merchant_district = m.district, merchant_category = m.category FROM merchants m WHERE m.id = d.merchant_id`);
    await q(`UPDATE refunds f SET merchant_district = m.district, merchant_category = m.category FROM merchants m WHERE m.id = f.merchant_id`);
    await q(`UPDATE refunds f SET merchant_district = d.merchant_district, merchant_category = d.merchant_category
               FROM redemption_keys k JOIN redemptions d ON d.id = k.redemption_id AND d.business_date = k.business_date
              WHERE k.redemption_id = f.redemption_id`);
    for (const table of ['redemptions', 'refunds']) {
      await q(`ALTER TABLE "${table}" ALTER "merchant_district" SET NOT NULL, ALTER "merchant_category" SET NOT NULL`);
    }
    await q(`
      CREATE FUNCTION redemptions_merchant_place() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.merchant_district IS NULL OR NEW.merchant_category IS NULL THEN
          SELECT m.district, m.category INTO NEW.merchant_district, NEW.merchant_category FROM merchants m WHERE m.id = NEW.merchant_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER redemptions_merchant_place BEFORE INSERT ON "redemptions" FOR EACH ROW EXECUTE FUNCTION redemptions_merchant_place()`);
    await q(`
      CREATE FUNCTION refunds_merchant_place() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.merchant_district IS NULL OR NEW.merchant_category IS NULL THEN
          SELECT d.merchant_district, d.merchant_category INTO NEW.merchant_district, NEW.merchant_category
            FROM redemption_keys k JOIN redemptions d ON d.id = k.redemption_id AND d.business_date = k.business_date
           WHERE k.redemption_id = NEW.redemption_id;
        END IF;
        -- A redemption archived with its month (its key keeps no date), or none at all (the foreign key refuses it next).
        IF NEW.merchant_district IS NULL THEN
          SELECT m.district, m.category INTO NEW.merchant_district, NEW.merchant_category FROM merchants m WHERE m.id = NEW.merchant_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER refunds_merchant_place BEFORE INSERT ON "refunds" FOR EACH ROW EXECUTE FUNCTION refunds_merchant_place()`);
    await q(countRedemptions('n.merchant_district', 'n.merchant_category', ''));
    await q(countRefunds('n.merchant_district', 'n.merchant_category', ''));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(countRefunds('m.district', 'm.category', 'JOIN merchants m ON m.id = d.merchant_id'));
    await q(countRedemptions('m.district', 'm.category', 'JOIN merchants m ON m.id = n.merchant_id'));
    await q(`DROP TRIGGER refunds_merchant_place ON "refunds"`);
    await q(`DROP FUNCTION refunds_merchant_place()`);
    await q(`DROP TRIGGER redemptions_merchant_place ON "redemptions"`);
    await q(`DROP FUNCTION redemptions_merchant_place()`);
    for (const table of ['refunds', 'redemptions']) await q(`ALTER TABLE "${table}" DROP COLUMN "merchant_category", DROP COLUMN "merchant_district"`);
  }
}

/** The redemptions' figures trigger (FiguresRollup's), counting in the district and category given, joining what they need. */
function countRedemptions(district: string, category: string, join: string): string {
  return `
    CREATE OR REPLACE FUNCTION figures_count_redemptions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      WITH keyed AS MATERIALIZED (
        SELECT n.business_date AS day, v.campaign_id, r.voucher_type_id, ${district} AS district, ${category} AS category,
               n.order_amount_fen, n.discount_fen, n.city_fen, n.district_fen, v.resident_id, n.merchant_id
          FROM new_redemptions n JOIN vouchers v ON v.id = n.voucher_id JOIN rounds r ON r.id = v.round_id
          ${join}
      ), counted AS (
        INSERT INTO figures_days AS f (${KEY}, slot, redeemed, order_amount_fen, discount_fen, city_fen, district_fen)
        SELECT ${KEY}, figures_slot(), count(*), sum(order_amount_fen), sum(discount_fen), sum(city_fen), sum(district_fen)
          FROM keyed GROUP BY ${KEY} ORDER BY ${KEY}
        ON CONFLICT (${KEY}, slot) DO UPDATE SET redeemed = f.redeemed + EXCLUDED.redeemed,
           order_amount_fen = f.order_amount_fen + EXCLUDED.order_amount_fen, discount_fen = f.discount_fen + EXCLUDED.discount_fen,
           city_fen = f.city_fen + EXCLUDED.city_fen, district_fen = f.district_fen + EXCLUDED.district_fen
      )
      INSERT INTO figures_parties (${KEY}, kind, party_id)
      SELECT DISTINCT ${KEY}, p.kind, p.party_id
        FROM keyed CROSS JOIN LATERAL (VALUES ('r', resident_id), ('m', merchant_id)) AS p(kind, party_id)
       ORDER BY ${KEY}, p.kind, p.party_id
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`;
}

/** The refunds' figures trigger (FiguresRollup's), counting in the district and category given, joining what they need. */
function countRefunds(district: string, category: string, join: string): string {
  return `
    CREATE OR REPLACE FUNCTION figures_count_refunds() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO figures_days AS f (${KEY}, slot, refunded, refund_amount_fen, reversed_fen, reversed_city_fen, reversed_district_fen)
      SELECT n.business_date, v.campaign_id, r.voucher_type_id, ${district}, ${category}, figures_slot(),
             count(*), sum(n.refund_amount_fen), sum(n.discount_reversed_fen), sum(n.city_fen), sum(n.district_fen)
        FROM new_refunds n JOIN redemptions d ON d.id = n.redemption_id JOIN vouchers v ON v.id = d.voucher_id
        JOIN rounds r ON r.id = v.round_id ${join}
       GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (${KEY}, slot) DO UPDATE SET refunded = f.refunded + EXCLUDED.refunded,
         refund_amount_fen = f.refund_amount_fen + EXCLUDED.refund_amount_fen, reversed_fen = f.reversed_fen + EXCLUDED.reversed_fen,
         reversed_city_fen = f.reversed_city_fen + EXCLUDED.reversed_city_fen,
         reversed_district_fen = f.reversed_district_fen + EXCLUDED.reversed_district_fen;
      RETURN NULL;
    END $$`;
}
