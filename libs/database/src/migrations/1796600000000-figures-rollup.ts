import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The program's running totals (DESIGN §9, docs/design.md "Figures"): figures_days (additive
 * totals per business day, campaign, voucher type, district, category, striped over slots),
 * figures_parties (residents and merchants first seen per day and key) and district_targets.
 *
 * Statement-level AFTER INSERT triggers with transition tables add each statement's per-key
 * deltas: one upsert per key per statement, and the grab's writer and the till's group commit
 * write a whole batch in one statement. Parties (residents and merchants taking part) are those
 * who redeemed (用券人数, 参与商户): the till's trigger records them. The grab's trigger records
 * none: a first-seen row per claim cost its insert about a third more (docs/design.md). Keys are taken in order, so two statements cannot
 * deadlock on them; the slot is the writing backend's pid modulo FIGURES_SLOTS, so concurrent
 * tills on one key mostly update different rows. Expiry is a row trigger whose WHEN clause is
 * false for the till's claimed → redeemed update (no call at all there); it counts a voucher on
 * its expires_at day while its status is expired, and takes it back if either changes.
 *
 * The attribution rules are SQL functions, written once, which the recount (apps/settlement
 * figures/recount.sql.ts) calls too: claims and expiries count in the campaign's district
 * (figures_claim_district: a campaign of exactly one district counts there, every other one as
 * 全市) and category (figures_claim_category: its one category, else 综合); redemptions and
 * refunds in the merchant's, as reconciliation does. Existing rows are counted once, here.
 */
const FIGURES_SLOTS = 8;

const KEY = 'day, campaign_id, voucher_type_id, district, category';

export class FiguresRollup1796600000000 implements MigrationInterface {
  name = 'FiguresRollup1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "district_targets" ("period" character varying(8) NOT NULL, "period_start" date NOT NULL, "district" character varying(16) NOT NULL, "consumption_fen" bigint, "subsidy_fen" bigint, "redeemed" integer, "set_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "district_targets_period_check" CHECK ("period" IN ('week', 'month')), CONSTRAINT "PK_e88d83b26a7308318ed09029db9" PRIMARY KEY ("period", "period_start", "district"))`);
    await queryRunner.query(`CREATE TABLE "figures_days" ("day" date NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "district" character varying(16) NOT NULL, "category" character varying(32) NOT NULL, "slot" smallint NOT NULL, "claimed" bigint NOT NULL DEFAULT '0', "claimed_fen" bigint NOT NULL DEFAULT '0', "redeemed" bigint NOT NULL DEFAULT '0', "order_amount_fen" bigint NOT NULL DEFAULT '0', "discount_fen" bigint NOT NULL DEFAULT '0', "city_fen" bigint NOT NULL DEFAULT '0', "district_fen" bigint NOT NULL DEFAULT '0', "refunded" bigint NOT NULL DEFAULT '0', "refund_amount_fen" bigint NOT NULL DEFAULT '0', "reversed_fen" bigint NOT NULL DEFAULT '0', "reversed_city_fen" bigint NOT NULL DEFAULT '0', "reversed_district_fen" bigint NOT NULL DEFAULT '0', "expired" bigint NOT NULL DEFAULT '0', "expired_fen" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_a12e24bc339058875ba981a9743" PRIMARY KEY ("day", "campaign_id", "voucher_type_id", "district", "category", "slot"))`);
    await queryRunner.query(`CREATE INDEX "figures_days_campaign_idx" ON "figures_days" ("campaign_id") `);
    await queryRunner.query(`CREATE TABLE "figures_parties" ("day" date NOT NULL, "campaign_id" bigint NOT NULL, "voucher_type_id" bigint NOT NULL, "district" character varying(16) NOT NULL, "category" character varying(32) NOT NULL, "kind" character(1) NOT NULL, "party_id" bigint NOT NULL, CONSTRAINT "figures_parties_kind_check" CHECK ("kind" IN ('r', 'm')), CONSTRAINT "PK_520643848efb531fbe06fa28453" PRIMARY KEY ("day", "campaign_id", "voucher_type_id", "district", "category", "kind", "party_id"))`);

    await queryRunner.query(`
      CREATE FUNCTION figures_claim_district(districts text[]) RETURNS varchar
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT CASE WHEN cardinality(districts) = 1 THEN districts[1] ELSE '全市' END $$`);
    await queryRunner.query(`
      CREATE FUNCTION figures_claim_category(categories text[]) RETURNS varchar
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT CASE WHEN cardinality(categories) = 1 THEN categories[1] ELSE '综合' END $$`);
    await queryRunner.query(`
      CREATE FUNCTION figures_slot() RETURNS smallint LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT (pg_backend_pid() % ${FIGURES_SLOTS})::smallint $$`);

    await queryRunner.query(`
      CREATE FUNCTION figures_count_claims() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Grouped by round first (a batch is mostly one round), so the join reads one round per group, not one per voucher.
        INSERT INTO figures_days AS f (${KEY}, slot, claimed, claimed_fen)
        SELECT g.day, r.campaign_id, r.voucher_type_id, figures_claim_district(c.districts), figures_claim_category(c.categories),
               figures_slot(), sum(g.n), sum(g.fen)
          FROM (SELECT (claimed_at AT TIME ZONE 'Asia/Shanghai')::date AS day, round_id, count(*) AS n, sum(face_value_fen) AS fen
                  FROM new_vouchers GROUP BY 1, 2) g
          JOIN rounds r ON r.id = g.round_id JOIN campaigns c ON c.id = r.campaign_id
         GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (${KEY}, slot) DO UPDATE SET claimed = f.claimed + EXCLUDED.claimed, claimed_fen = f.claimed_fen + EXCLUDED.claimed_fen;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER vouchers_figures_claims AFTER INSERT ON "vouchers" REFERENCING NEW TABLE AS new_vouchers
       FOR EACH STATEMENT EXECUTE FUNCTION figures_count_claims()`,
    );

    await queryRunner.query(`
      CREATE FUNCTION figures_count_redemptions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH keyed AS MATERIALIZED (
          SELECT n.business_date AS day, v.campaign_id, r.voucher_type_id, m.district, m.category,
                 n.order_amount_fen, n.discount_fen, n.city_fen, n.district_fen, v.resident_id, n.merchant_id
            FROM new_redemptions n JOIN vouchers v ON v.id = n.voucher_id JOIN rounds r ON r.id = v.round_id
            JOIN merchants m ON m.id = n.merchant_id
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
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER redemptions_figures AFTER INSERT ON "redemptions" REFERENCING NEW TABLE AS new_redemptions
       FOR EACH STATEMENT EXECUTE FUNCTION figures_count_redemptions()`,
    );

    await queryRunner.query(`
      CREATE FUNCTION figures_count_refunds() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO figures_days AS f (${KEY}, slot, refunded, refund_amount_fen, reversed_fen, reversed_city_fen, reversed_district_fen)
        SELECT n.business_date, v.campaign_id, r.voucher_type_id, m.district, m.category, figures_slot(),
               count(*), sum(n.refund_amount_fen), sum(n.discount_reversed_fen), sum(n.city_fen), sum(n.district_fen)
          FROM new_refunds n JOIN redemptions d ON d.id = n.redemption_id JOIN vouchers v ON v.id = d.voucher_id
          JOIN rounds r ON r.id = v.round_id JOIN merchants m ON m.id = d.merchant_id
         GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (${KEY}, slot) DO UPDATE SET refunded = f.refunded + EXCLUDED.refunded,
           refund_amount_fen = f.refund_amount_fen + EXCLUDED.refund_amount_fen, reversed_fen = f.reversed_fen + EXCLUDED.reversed_fen,
           reversed_city_fen = f.reversed_city_fen + EXCLUDED.reversed_city_fen,
           reversed_district_fen = f.reversed_district_fen + EXCLUDED.reversed_district_fen;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER refunds_figures AFTER INSERT ON "refunds" REFERENCING NEW TABLE AS new_refunds
       FOR EACH STATEMENT EXECUTE FUNCTION figures_count_refunds()`,
    );

    await queryRunner.query(`
      CREATE FUNCTION figures_count_expiry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        change record;
      BEGIN
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
        END LOOP;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER vouchers_figures_expiry AFTER UPDATE OF status, expires_at ON "vouchers" FOR EACH ROW
       WHEN ((OLD.status = 'expired' OR NEW.status = 'expired')
             AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.expires_at IS DISTINCT FROM NEW.expires_at))
       EXECUTE FUNCTION figures_count_expiry()`,
    );

    await this.countExisting(queryRunner);
  }

  /** The rows written before the triggers, counted in slot 0 by the rules above. */
  private async countExisting(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO figures_days (${KEY}, slot, claimed, claimed_fen, redeemed, order_amount_fen, discount_fen, city_fen, district_fen,
                                refunded, refund_amount_fen, reversed_fen, reversed_city_fen, reversed_district_fen, expired, expired_fen)
      SELECT ${KEY}, 0, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f), sum(g), sum(h), sum(i), sum(j), sum(k), sum(l), sum(m), sum(n)
        FROM (
          SELECT (v.claimed_at AT TIME ZONE 'Asia/Shanghai')::date AS day, v.campaign_id, r.voucher_type_id,
                 figures_claim_district(c.districts) AS district, figures_claim_category(c.categories) AS category,
                 1 AS a, v.face_value_fen AS b, 0 AS c, 0 AS d, 0 AS e, 0 AS f, 0 AS g, 0 AS h, 0 AS i, 0 AS j, 0 AS k, 0 AS l, 0 AS m, 0 AS n
            FROM vouchers v JOIN rounds r ON r.id = v.round_id JOIN campaigns c ON c.id = v.campaign_id
          UNION ALL
          SELECT (v.expires_at AT TIME ZONE 'Asia/Shanghai')::date, v.campaign_id, r.voucher_type_id,
                 figures_claim_district(c.districts), figures_claim_category(c.categories), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, v.face_value_fen
            FROM vouchers v JOIN rounds r ON r.id = v.round_id JOIN campaigns c ON c.id = v.campaign_id WHERE v.status = 'expired'
          UNION ALL
          SELECT d.business_date, v.campaign_id, r.voucher_type_id, m.district, m.category,
                 0, 0, 1, d.order_amount_fen, d.discount_fen, d.city_fen, d.district_fen, 0, 0, 0, 0, 0, 0, 0
            FROM redemptions d JOIN vouchers v ON v.id = d.voucher_id JOIN rounds r ON r.id = v.round_id JOIN merchants m ON m.id = d.merchant_id
          UNION ALL
          SELECT n.business_date, v.campaign_id, r.voucher_type_id, m.district, m.category,
                 0, 0, 0, 0, 0, 0, 0, 1, n.refund_amount_fen, n.discount_reversed_fen, n.city_fen, n.district_fen, 0, 0
            FROM refunds n JOIN redemptions d ON d.id = n.redemption_id JOIN vouchers v ON v.id = d.voucher_id
            JOIN rounds r ON r.id = v.round_id JOIN merchants m ON m.id = d.merchant_id
        ) x
       GROUP BY ${KEY}`);
    await queryRunner.query(`
      INSERT INTO figures_parties (${KEY}, kind, party_id)
      SELECT DISTINCT d.business_date, v.campaign_id, r.voucher_type_id, m.district, m.category, p.kind, p.party_id
        FROM redemptions d JOIN vouchers v ON v.id = d.voucher_id JOIN rounds r ON r.id = v.round_id JOIN merchants m ON m.id = d.merchant_id
       CROSS JOIN LATERAL (VALUES ('r', v.resident_id), ('m', d.merchant_id)) AS p(kind, party_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER vouchers_figures_expiry ON "vouchers"`);
    await queryRunner.query(`DROP TRIGGER refunds_figures ON "refunds"`);
    await queryRunner.query(`DROP TRIGGER redemptions_figures ON "redemptions"`);
    await queryRunner.query(`DROP TRIGGER vouchers_figures_claims ON "vouchers"`);
    await queryRunner.query(`DROP FUNCTION figures_count_expiry()`);
    await queryRunner.query(`DROP FUNCTION figures_count_refunds()`);
    await queryRunner.query(`DROP FUNCTION figures_count_redemptions()`);
    await queryRunner.query(`DROP FUNCTION figures_count_claims()`);
    await queryRunner.query(`DROP FUNCTION figures_slot()`);
    await queryRunner.query(`DROP FUNCTION figures_claim_category(text[])`);
    await queryRunner.query(`DROP FUNCTION figures_claim_district(text[])`);
    await queryRunner.query(`DROP TABLE "figures_parties"`);
    await queryRunner.query(`DROP INDEX "public"."figures_days_campaign_idx"`);
    await queryRunner.query(`DROP TABLE "figures_days"`);
    await queryRunner.query(`DROP TABLE "district_targets"`);
  }
}
