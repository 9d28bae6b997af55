import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables that grow by millions a round and are read by time become partitioned by month
 * (docs/partitions.md): redemptions by business_date (the settlement build reads one day, the
 * figures' recount and the reconciliation a range of days), ledger_entries by created_at and
 * audit_log by at (Asia/Shanghai months). Each keeps a DEFAULT partition, so an insert never
 * fails for want of a month; ensure_month_partitions() makes the months ahead (the settlement
 * worker's daily `ensure-partitions` job) and moves into a new month any rows that waited in
 * the default; archive_month_partition() detaches a month that is over into the archive schema.
 *
 * Postgres wants the partition key in every unique key, so the redemptions' uniqueness
 * backstops (public id; one redemption per merchant and order number; one standing redemption
 * per voucher) move to redemption_keys, unpartitioned, written by its triggers in the
 * statement that writes the redemptions (so in its transaction, refused with the same 23505);
 * refunds refer to it. Its keys outlive an archived month: an order number stays used.
 */
export class PartitionedHistory1796740000000 implements MigrationInterface {
  name = 'PartitionedHistory1796740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(ENSURE_MONTH_PARTITIONS);
    await q(ARCHIVE_MONTH_PARTITION);

    // ledger_entries, by created_at.
    await q(`ALTER TABLE "ledger_entries" RENAME TO "ledger_entries_unpartitioned"`);
    await q(`ALTER SEQUENCE "ledger_entries_id_seq" OWNED BY NONE`);
    await q(`DROP TRIGGER ledger_entries_append_only ON "ledger_entries_unpartitioned"`);
    await q(`ALTER TABLE "ledger_entries_unpartitioned" DROP CONSTRAINT "PK_6efcb84411d3f08b08450ae75d5"`);
    await q(`DROP INDEX "ledger_entries_account_idx", "ledger_entries_posting_idx"`);
    await q(`CREATE TABLE "ledger_entries" ("id" bigint NOT NULL DEFAULT nextval('ledger_entries_id_seq'), "posting_id" uuid NOT NULL,
      "account" character varying(96) NOT NULL, "debit_fen" bigint NOT NULL DEFAULT '0', "credit_fen" bigint NOT NULL DEFAULT '0',
      "ref_type" character varying(32) NOT NULL, "ref_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ledger_entries_one_side_check" CHECK (("debit_fen" > 0 AND "credit_fen" = 0) OR ("credit_fen" > 0 AND "debit_fen" = 0)),
      CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id", "created_at")) PARTITION BY RANGE ("created_at")`);
    await q(`CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" ("account")`);
    await q(`CREATE INDEX "ledger_entries_posting_idx" ON "ledger_entries" ("posting_id")`);
    await moveRows(queryRunner, 'ledger_entries', 'created_at');
    await q(`CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "ledger_entries" FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()`);

    // audit_log, by at.
    await q(`ALTER TABLE "audit_log" RENAME TO "audit_log_unpartitioned"`);
    await q(`ALTER SEQUENCE "audit_log_id_seq" OWNED BY NONE`);
    await q(`DROP TRIGGER audit_log_append_only ON "audit_log_unpartitioned"`);
    await q(`ALTER TABLE "audit_log_unpartitioned" DROP CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b"`);
    await q(`DROP INDEX "audit_log_action_idx", "audit_log_actor_idx", "audit_log_at_idx", "audit_log_target_idx"`);
    await q(`CREATE TABLE "audit_log" ("id" bigint NOT NULL DEFAULT nextval('audit_log_id_seq'), "actor_id" character varying(64) NOT NULL,
      "actor_role" character varying(32) NOT NULL, "action" character varying(64) NOT NULL, "target_type" character varying(32) NOT NULL,
      "target_id" character varying(64) NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "request_id" character varying(64),
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id", "at")) PARTITION BY RANGE ("at")`);
    await q(`CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target_type", "target_id")`);
    await q(`CREATE INDEX "audit_log_actor_idx" ON "audit_log" ("actor_id", "id")`);
    await q(`CREATE INDEX "audit_log_action_idx" ON "audit_log" ("action", "id")`);
    await q(`CREATE INDEX "audit_log_at_idx" ON "audit_log" ("at")`);
    await moveRows(queryRunner, 'audit_log', 'at');
    await q(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

    // redemptions, by business_date; the unique keys beside, in redemption_keys.
    await q(`ALTER TABLE "refunds" DROP CONSTRAINT "FK_fdde5328c4082049888fd2d3818"`);
    await q(`ALTER TABLE "redemptions" RENAME TO "redemptions_unpartitioned"`);
    await q(`ALTER SEQUENCE "redemptions_id_seq" OWNED BY NONE`);
    await q(`DROP TRIGGER redemptions_figures ON "redemptions_unpartitioned"`);
    await q(`ALTER TABLE "redemptions_unpartitioned" DROP CONSTRAINT "PK_def143ab94376fea5985bb04219",
      DROP CONSTRAINT "UQ_b4643196eff1e725cd547403a8e", DROP CONSTRAINT "redemptions_merchant_order_key",
      DROP CONSTRAINT "FK_49de51193e2922007aeebcb280b", DROP CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35"`);
    await q(`DROP INDEX "redemptions_business_date_idx", "redemptions_unsettled_idx", "redemptions_settlement_line_idx", "redemptions_standing_voucher_key"`);
    await q(`CREATE TABLE "redemptions" ("id" bigint NOT NULL DEFAULT nextval('redemptions_id_seq'), "public_id" uuid NOT NULL,
      "voucher_id" bigint NOT NULL, "merchant_id" bigint NOT NULL, "merchant_order_no" character varying(64) NOT NULL,
      "order_amount_fen" bigint NOT NULL, "discount_fen" bigint NOT NULL, "city_fen" bigint NOT NULL, "district_fen" bigint NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'completed', "redeemed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "business_date" date NOT NULL, "cashier_id" uuid NOT NULL, "code_digest" character(32) NOT NULL,
      "refunded_amount_fen" bigint NOT NULL DEFAULT '0', "settlement_line_id" bigint,
      CONSTRAINT "redemptions_pkey" PRIMARY KEY ("id", "business_date")) PARTITION BY RANGE ("business_date")`);
    await q(`CREATE INDEX "redemptions_business_date_idx" ON "redemptions" ("business_date")`);
    await q(`CREATE INDEX "redemptions_unsettled_idx" ON "redemptions" ("business_date", "merchant_id") WHERE "settlement_line_id" IS NULL`);
    await q(`CREATE INDEX "redemptions_settlement_line_idx" ON "redemptions" ("settlement_line_id")`);
    // A refund finds its redemption by public id (one probe a month); an order number is looked up in redemption_keys.
    await q(`CREATE INDEX "redemptions_public_id_idx" ON "redemptions" ("public_id")`);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_49de51193e2922007aeebcb280b" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35" FOREIGN KEY ("voucher_id") REFERENCES "vouchers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(`CREATE TABLE "redemption_keys" ("redemption_id" bigint NOT NULL, "public_id" uuid NOT NULL, "merchant_id" bigint NOT NULL,
      "merchant_order_no" character varying(64) NOT NULL, "voucher_id" bigint NOT NULL, "standing" boolean NOT NULL,
      CONSTRAINT "redemption_keys_public_id_key" UNIQUE ("public_id"),
      CONSTRAINT "redemptions_merchant_order_key" UNIQUE ("merchant_id", "merchant_order_no"),
      CONSTRAINT "redemption_keys_pkey" PRIMARY KEY ("redemption_id"))`);
    await q(`CREATE UNIQUE INDEX "redemptions_standing_voucher_key" ON "redemption_keys" ("voucher_id") WHERE "standing"`);
    await q(`INSERT INTO redemption_keys (redemption_id, public_id, merchant_id, merchant_order_no, voucher_id, standing)
      SELECT id, public_id, merchant_id, merchant_order_no, voucher_id, status IN ('completed', 'partly_refunded') FROM redemptions_unpartitioned`);
    await moveRows(queryRunner, 'redemptions', 'business_date');
    await q(REDEMPTION_KEYS_TRIGGERS);
    await q(`CREATE TRIGGER redemptions_keys_insert AFTER INSERT ON "redemptions" REFERENCING NEW TABLE AS new_redemptions
      FOR EACH STATEMENT EXECUTE FUNCTION redemption_keys_insert()`);
    await q(`CREATE TRIGGER redemptions_keys_delete AFTER DELETE ON "redemptions" REFERENCING OLD TABLE AS old_redemptions
      FOR EACH STATEMENT EXECUTE FUNCTION redemption_keys_delete()`);
    await q(`CREATE TRIGGER redemptions_keys_standing AFTER UPDATE OF "status" ON "redemptions"
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION redemption_keys_standing()`);
    // A change of business_date moves the row to its month: an UPDATE's statement triggers only, so the keys stay.
    await q(`CREATE TRIGGER redemptions_keys_fixed BEFORE UPDATE OF "public_id", "merchant_id", "merchant_order_no", "voucher_id" ON "redemptions"
      FOR EACH ROW WHEN ((OLD.public_id, OLD.merchant_id, OLD.merchant_order_no, OLD.voucher_id)
                         IS DISTINCT FROM (NEW.public_id, NEW.merchant_id, NEW.merchant_order_no, NEW.voucher_id))
      EXECUTE FUNCTION redemption_keys_fixed()`);
    await q(`CREATE TRIGGER redemptions_figures AFTER INSERT ON "redemptions" REFERENCING NEW TABLE AS new_redemptions
      FOR EACH STATEMENT EXECUTE FUNCTION figures_count_redemptions()`);
    await q(`ALTER TABLE "refunds" ADD CONSTRAINT "FK_fdde5328c4082049888fd2d3818" FOREIGN KEY ("redemption_id") REFERENCES "redemption_keys"("redemption_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(`ANALYZE "redemptions", "redemption_keys", "ledger_entries", "audit_log"`);
  }

  /** Back to one table each, every row copied again. Archived months stay in the archive schema, and their keys go with redemption_keys. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(`ALTER TABLE "refunds" DROP CONSTRAINT "FK_fdde5328c4082049888fd2d3818"`);
    await unpartition(queryRunner, 'redemptions', `"id" bigint NOT NULL DEFAULT nextval('redemptions_id_seq'), "public_id" uuid NOT NULL, "voucher_id" bigint NOT NULL,
      "merchant_id" bigint NOT NULL, "merchant_order_no" character varying(64) NOT NULL, "order_amount_fen" bigint NOT NULL,
      "discount_fen" bigint NOT NULL, "city_fen" bigint NOT NULL, "district_fen" bigint NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'completed', "redeemed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "business_date" date NOT NULL, "cashier_id" uuid NOT NULL, "code_digest" character(32) NOT NULL,
      "refunded_amount_fen" bigint NOT NULL DEFAULT '0', "settlement_line_id" bigint`);
    await q(`DROP TABLE "redemption_keys"`);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "PK_def143ab94376fea5985bb04219" PRIMARY KEY ("id"),
      ADD CONSTRAINT "UQ_b4643196eff1e725cd547403a8e" UNIQUE ("public_id"),
      ADD CONSTRAINT "redemptions_merchant_order_key" UNIQUE ("merchant_id", "merchant_order_no")`);
    await q(`CREATE INDEX "redemptions_business_date_idx" ON "redemptions" ("business_date")`);
    await q(`CREATE INDEX "redemptions_unsettled_idx" ON "redemptions" ("business_date", "merchant_id") WHERE "settlement_line_id" IS NULL`);
    await q(`CREATE INDEX "redemptions_settlement_line_idx" ON "redemptions" ("settlement_line_id")`);
    await q(`CREATE UNIQUE INDEX "redemptions_standing_voucher_key" ON "redemptions" ("voucher_id") WHERE "status" IN ('completed', 'partly_refunded')`);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_49de51193e2922007aeebcb280b" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35" FOREIGN KEY ("voucher_id") REFERENCES "vouchers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(`ALTER TABLE "refunds" ADD CONSTRAINT "FK_fdde5328c4082049888fd2d3818" FOREIGN KEY ("redemption_id") REFERENCES "redemptions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q(`CREATE TRIGGER redemptions_figures AFTER INSERT ON "redemptions" REFERENCING NEW TABLE AS new_redemptions
      FOR EACH STATEMENT EXECUTE FUNCTION figures_count_redemptions()`);
    await q(`DROP FUNCTION redemption_keys_insert(), redemption_keys_delete(), redemption_keys_standing(), redemption_keys_fixed()`);

    await unpartition(queryRunner, 'ledger_entries', `"id" bigint NOT NULL DEFAULT nextval('ledger_entries_id_seq'), "posting_id" uuid NOT NULL, "account" character varying(96) NOT NULL,
      "debit_fen" bigint NOT NULL DEFAULT '0', "credit_fen" bigint NOT NULL DEFAULT '0', "ref_type" character varying(32) NOT NULL,
      "ref_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "ledger_entries_one_side_check" CHECK (("debit_fen" > 0 AND "credit_fen" = 0) OR ("credit_fen" > 0 AND "debit_fen" = 0))`);
    await q(`ALTER TABLE "ledger_entries" ADD CONSTRAINT "PK_6efcb84411d3f08b08450ae75d5" PRIMARY KEY ("id")`);
    await q(`CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" ("account")`);
    await q(`CREATE INDEX "ledger_entries_posting_idx" ON "ledger_entries" ("posting_id")`);
    await q(`CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "ledger_entries" FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()`);

    await unpartition(queryRunner, 'audit_log', `"id" bigint NOT NULL DEFAULT nextval('audit_log_id_seq'), "actor_id" character varying(64) NOT NULL,
      "actor_role" character varying(32) NOT NULL, "action" character varying(64) NOT NULL, "target_type" character varying(32) NOT NULL,
      "target_id" character varying(64) NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "request_id" character varying(64),
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q(`ALTER TABLE "audit_log" ADD CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")`);
    await q(`CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target_type", "target_id")`);
    await q(`CREATE INDEX "audit_log_actor_idx" ON "audit_log" ("actor_id", "id")`);
    await q(`CREATE INDEX "audit_log_action_idx" ON "audit_log" ("action", "id")`);
    await q(`CREATE INDEX "audit_log_at_idx" ON "audit_log" ("at")`);
    await q(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await q(`DROP FUNCTION ensure_month_partitions(regclass, date, date), archive_month_partition(regclass, date)`);
  }
}

/**
 * Month partitions over the rows of `<table>_unpartitioned` (and from last month to three
 * months ahead), a DEFAULT partition, the rows copied in, the old table dropped.
 */
async function moveRows(queryRunner: QueryRunner, table: string, key: string): Promise<void> {
  const [span] = (await queryRunner.query(
    `SELECT to_char(LEAST(min(${key}), now())${key === 'business_date' ? '' : ` AT TIME ZONE 'Asia/Shanghai'`}, 'YYYY-MM-01') AS first,
            to_char(GREATEST(max(${key}), now())${key === 'business_date' ? '' : ` AT TIME ZONE 'Asia/Shanghai'`}, 'YYYY-MM-01') AS last
       FROM "${table}_unpartitioned"`,
  )) as Array<{ first: string; last: string }>;
  await queryRunner.query(`CREATE TABLE "${table}_default" PARTITION OF "${table}" DEFAULT`);
  await queryRunner.query(`SELECT ensure_month_partitions('${table}', ($1::date - interval '1 month')::date, ($2::date + interval '3 months')::date)`, [span.first, span.last]);
  await queryRunner.query(`INSERT INTO "${table}" SELECT * FROM "${table}_unpartitioned"`);
  await queryRunner.query(`DROP TABLE "${table}_unpartitioned"`);
  await queryRunner.query(`ALTER SEQUENCE "${table}_id_seq" OWNED BY "${table}"."id"`);
}

/** down(): `table` as one table again with `columns`, its rows copied, its id sequence kept; keys and indexes are the caller's. */
async function unpartition(queryRunner: QueryRunner, table: string, columns: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE "${table}" RENAME TO "${table}_partitioned"`);
  await queryRunner.query(`ALTER SEQUENCE "${table}_id_seq" OWNED BY NONE`);
  await queryRunner.query(`CREATE TABLE "${table}" (${columns})`);
  await queryRunner.query(`INSERT INTO "${table}" SELECT * FROM "${table}_partitioned"`);
  await queryRunner.query(`DROP TABLE "${table}_partitioned"`);
  await queryRunner.query(`ALTER SEQUENCE "${table}_id_seq" OWNED BY "${table}"."id"`);
}

/**
 * ensure_month_partitions(parent, first, last): a partition for each month first..last
 * (Asia/Shanghai months for a timestamptz key) that has none yet, named <parent>_yYYYYmMM;
 * rows of that month waiting in the DEFAULT partition move into it. Returns how many it made.
 * Serialized by an advisory lock, so workers may call it together.
 */
const ENSURE_MONTH_PARTITIONS = `
  CREATE FUNCTION ensure_month_partitions(parent regclass, first_month date, last_month date) RETURNS integer
  LANGUAGE plpgsql AS $$
  DECLARE
    key_column text;
    key_type regtype;
    month date := date_trunc('month', first_month)::date;
    made integer := 0;
    part text;
    lo text;
    hi text;
    fallback regclass;
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ensure_month_partitions'));
    SELECT a.attname, a.atttypid::regtype INTO key_column, key_type
      FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
     WHERE p.partrelid = parent AND p.partstrat = 'r' AND p.partnatts = 1;
    IF key_column IS NULL THEN
      RAISE EXCEPTION '% is not partitioned by range of one column', parent;
    END IF;
    SELECT i.inhrelid::regclass INTO fallback FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
    WHILE month <= last_month LOOP
      part := format('%s_y%sm%s', (SELECT relname FROM pg_class WHERE oid = parent), to_char(month, 'YYYY'), to_char(month, 'MM'));
      IF to_regclass(quote_ident(part)) IS NULL THEN
        IF key_type = 'date'::regtype THEN
          lo := quote_literal(month::text);
          hi := quote_literal((month + interval '1 month')::date::text);
        ELSE
          lo := quote_literal((month::timestamp AT TIME ZONE 'Asia/Shanghai')::text);
          hi := quote_literal(((month + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai')::text);
        END IF;
        EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
        IF fallback IS NOT NULL THEN
          -- Inserts routed to DEFAULT wait until the month is attached; inserts into other months go on.
          EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', fallback);
          EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= %s AND %I < %s RETURNING *) INSERT INTO %I SELECT * FROM moved',
                         fallback, key_column, lo, key_column, hi, part);
        END IF;
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', parent, part, lo, hi);
        made := made + 1;
      END IF;
      month := (month + interval '1 month')::date;
    END LOOP;
    RETURN made;
  END $$`;

/**
 * archive_month_partition(parent, month): detaches the partition of a month that is over
 * (Asia/Shanghai) and moves it to the archive schema; returns its new name, for pg_dump and DROP.
 */
const ARCHIVE_MONTH_PARTITION = `
  CREATE FUNCTION archive_month_partition(parent regclass, month date) RETURNS text
  LANGUAGE plpgsql AS $$
  DECLARE
    part text := format('%s_y%sm%s', (SELECT relname FROM pg_class WHERE oid = parent), to_char(month, 'YYYY'), to_char(month, 'MM'));
  BEGIN
    IF date_trunc('month', month) >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') THEN
      RAISE EXCEPTION 'the month of % is not over: only a past month is archived', month;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhparent = parent AND inhrelid = to_regclass(quote_ident(part))) THEN
      RAISE EXCEPTION '% has no partition %', parent, part;
    END IF;
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %I', parent, part);
    CREATE SCHEMA IF NOT EXISTS archive;
    EXECUTE format('ALTER TABLE %I SET SCHEMA archive', part);
    RETURN 'archive.' || part;
  END $$`;

/** The triggers' functions that keep redemption_keys in step with redemptions. */
const REDEMPTION_KEYS_TRIGGERS = `
  CREATE FUNCTION redemption_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO redemption_keys (redemption_id, public_id, merchant_id, merchant_order_no, voucher_id, standing)
    SELECT id, public_id, merchant_id, merchant_order_no, voucher_id, status IN ('completed', 'partly_refunded')
      FROM new_redemptions;
    RETURN NULL;
  END $$;
  CREATE FUNCTION redemption_keys_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM redemption_keys k USING old_redemptions o WHERE k.redemption_id = o.id;
    RETURN NULL;
  END $$;
  CREATE FUNCTION redemption_keys_standing() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE redemption_keys SET standing = NEW.status IN ('completed', 'partly_refunded') WHERE redemption_id = NEW.id;
    RETURN NULL;
  END $$;
  CREATE FUNCTION redemption_keys_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'a redemption''s public id, merchant, order number and voucher are fixed';
  END $$`;
