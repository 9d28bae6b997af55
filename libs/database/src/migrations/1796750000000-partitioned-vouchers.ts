import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * vouchers becomes LIST-partitioned by campaign_id (docs/partitions.md, "Vouchers"): a partition
 * per campaign, vouchers_c<campaign id>, made in the campaign's own transaction by
 * ensure_campaign_partition() (and here for every campaign there is), and a DEFAULT partition
 * behind them, so an insert never fails for want of one. A finished campaign's vouchers are one
 * table, to be archived whole; a read by campaign reads one partition.
 *
 * The per-person keys hold the campaign (round_id determines it), so they stay unique keys of
 * vouchers under their names (the grab's ON CONFLICT and the tests catch them). The keys that do
 * not hold it (public_id; one voucher per resident and Idempotency-Key) move to voucher_keys,
 * unpartitioned, written only by vouchers' triggers in the statement that writes the vouchers
 * (so refused with the same 23505), as redemption_keys is for redemptions; redemptions'
 * foreign key refers to it, since a foreign key to vouchers would need the campaign too.
 */
export class PartitionedVouchers1796750000000 implements MigrationInterface {
  name = 'PartitionedVouchers1796750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(COPY_PARTITION_KEYS);
    await q(ENSURE_CAMPAIGN_PARTITION);
    await q(`ALTER TABLE "redemptions" DROP CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35"`);
    const archived = await dropOtherForeignKeys(queryRunner, 'vouchers');
    await q(`ALTER TABLE "vouchers" RENAME TO "vouchers_unpartitioned"`);
    await q(`ALTER SEQUENCE "vouchers_id_seq" OWNED BY NONE`);
    await q(`DROP TRIGGER vouchers_count_issued ON "vouchers_unpartitioned"`);
    await q(`DROP TRIGGER vouchers_figures_claims ON "vouchers_unpartitioned"`);
    await q(`DROP TRIGGER vouchers_figures_expiry ON "vouchers_unpartitioned"`);
    await q(`ALTER TABLE "vouchers_unpartitioned" DROP CONSTRAINT "PK_ed1b7dd909a696560763acdbc04", DROP CONSTRAINT "UQ_1c7383a4c3044166c5f12e90fa4",
      DROP CONSTRAINT "vouchers_campaign_resident_seq_key", DROP CONSTRAINT "vouchers_round_resident_key", DROP CONSTRAINT "vouchers_resident_idempotency_key"`);
    // Within a partition campaign_id is one value: the keys lead with the column a read without
    // the campaign names (a round's vouchers, a resident's), so those probe each partition's index.
    await q(`CREATE TABLE "vouchers" (${COLUMNS},
      CONSTRAINT "vouchers_pkey" PRIMARY KEY ("id", "campaign_id"),
      CONSTRAINT "vouchers_round_resident_key" UNIQUE ("round_id", "resident_id", "campaign_id"),
      CONSTRAINT "vouchers_campaign_resident_seq_key" UNIQUE ("resident_id", "campaign_id", "person_seq")) PARTITION BY LIST ("campaign_id")`);
    // The till and the owner find a voucher by public id: one probe a campaign (its uniqueness is voucher_keys').
    await q(`CREATE INDEX "vouchers_public_id_idx" ON "vouchers" ("public_id")`);
    await q(`CREATE TABLE "voucher_keys" ("voucher_id" bigint NOT NULL, "campaign_id" bigint NOT NULL, "public_id" uuid NOT NULL,
      "resident_id" bigint NOT NULL, "idempotency_key" character varying(64),
      CONSTRAINT "voucher_keys_public_id_key" UNIQUE ("public_id"),
      CONSTRAINT "vouchers_resident_idempotency_key" UNIQUE ("resident_id", "idempotency_key"),
      CONSTRAINT "voucher_keys_pkey" PRIMARY KEY ("voucher_id"))`);
    await q(`INSERT INTO voucher_keys (voucher_id, campaign_id, public_id, resident_id, idempotency_key)
      SELECT id, campaign_id, public_id, resident_id, idempotency_key FROM vouchers_unpartitioned`);
    await q(`CREATE TABLE "vouchers_default" (LIKE "vouchers" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await q(`SELECT copy_partition_keys('vouchers', 'vouchers_default', '_default')`);
    await q(`ALTER TABLE "vouchers" ATTACH PARTITION "vouchers_default" DEFAULT`);
    await q(`SELECT ensure_campaign_partition(id) FROM campaigns ORDER BY id`);
    await q(`INSERT INTO "vouchers" SELECT * FROM "vouchers_unpartitioned"`);
    await q(`DROP TABLE "vouchers_unpartitioned"`);
    await q(`ALTER SEQUENCE "vouchers_id_seq" OWNED BY "vouchers"."id"`);
    await q(VOUCHER_KEYS_TRIGGERS);
    await q(`CREATE TRIGGER vouchers_keys_insert AFTER INSERT ON "vouchers" REFERENCING NEW TABLE AS new_vouchers
      FOR EACH STATEMENT EXECUTE FUNCTION voucher_keys_insert()`);
    await q(`CREATE TRIGGER vouchers_keys_delete AFTER DELETE ON "vouchers" REFERENCING OLD TABLE AS old_vouchers
      FOR EACH STATEMENT EXECUTE FUNCTION voucher_keys_delete()`);
    await q(`CREATE TRIGGER vouchers_keys_fixed BEFORE UPDATE OF "id", "campaign_id", "public_id", "resident_id", "idempotency_key" ON "vouchers"
      FOR EACH ROW WHEN ((OLD.id, OLD.campaign_id, OLD.public_id, OLD.resident_id, OLD.idempotency_key)
                         IS DISTINCT FROM (NEW.id, NEW.campaign_id, NEW.public_id, NEW.resident_id, NEW.idempotency_key))
      EXECUTE FUNCTION voucher_keys_fixed()`);
    await createCountingTriggers(queryRunner);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35" FOREIGN KEY ("voucher_id") REFERENCES "voucher_keys"("voucher_id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await addForeignKeys(queryRunner, archived, 'voucher_keys("voucher_id")');
    await q(`ANALYZE "vouchers", "voucher_keys"`);
  }

  /** One table again, every row copied, its keys and indexes under their names of before. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string): Promise<unknown> => queryRunner.query(sql);
    await q(`ALTER TABLE "redemptions" DROP CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35"`);
    const archived = await dropOtherForeignKeys(queryRunner, 'voucher_keys');
    await q(`ALTER TABLE "vouchers" RENAME TO "vouchers_partitioned"`);
    await q(`ALTER SEQUENCE "vouchers_id_seq" OWNED BY NONE`);
    await q(`CREATE TABLE "vouchers" (${COLUMNS})`);
    await q(`INSERT INTO "vouchers" SELECT * FROM "vouchers_partitioned"`);
    await q(`DROP TABLE "vouchers_partitioned"`);
    await q(`ALTER SEQUENCE "vouchers_id_seq" OWNED BY "vouchers"."id"`);
    await q(`DROP TABLE "voucher_keys"`);
    await q(`ALTER TABLE "vouchers" ADD CONSTRAINT "PK_ed1b7dd909a696560763acdbc04" PRIMARY KEY ("id"),
      ADD CONSTRAINT "UQ_1c7383a4c3044166c5f12e90fa4" UNIQUE ("public_id"),
      ADD CONSTRAINT "vouchers_campaign_resident_seq_key" UNIQUE ("campaign_id", "resident_id", "person_seq"),
      ADD CONSTRAINT "vouchers_round_resident_key" UNIQUE ("round_id", "resident_id"),
      ADD CONSTRAINT "vouchers_resident_idempotency_key" UNIQUE ("resident_id", "idempotency_key")`);
    await createCountingTriggers(queryRunner);
    await q(`ALTER TABLE "redemptions" ADD CONSTRAINT "FK_694b936f56ba9904f3ae59bdc35" FOREIGN KEY ("voucher_id") REFERENCES "vouchers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await addForeignKeys(queryRunner, archived, 'vouchers("id")');
    await q(`DROP FUNCTION voucher_keys_insert(), voucher_keys_delete(), voucher_keys_fixed(), ensure_campaign_partition(bigint, interval),
      copy_partition_keys(regclass, regclass, text)`);
  }
}

interface ForeignKey {
  table: string;
  name: string;
  columns: string;
  actions: string;
}

/**
 * The foreign keys to `target` other than redemptions' own (and its partitions'), dropped: those
 * of redemption months archived by archive_month_partition, detached with their key. Given back
 * to addForeignKeys, to refer to the voucher's new home.
 */
async function dropOtherForeignKeys(queryRunner: QueryRunner, target: string): Promise<ForeignKey[]> {
  const keys = (await queryRunner.query(
    `SELECT conrelid::regclass::text AS "table", conname AS name,
            substring(pg_get_constraintdef(oid) FROM '^FOREIGN KEY (\\([^)]*\\))') AS columns,
            substring(pg_get_constraintdef(oid) FROM '\\)( ON .*)?$') AS actions
       FROM pg_constraint
      WHERE contype = 'f' AND confrelid = $1::regclass AND conparentid = 0 AND conrelid <> 'redemptions'::regclass`,
    [target],
  )) as ForeignKey[];
  for (const key of keys) await queryRunner.query(`ALTER TABLE ${key.table} DROP CONSTRAINT "${key.name}"`);
  return keys;
}

async function addForeignKeys(queryRunner: QueryRunner, keys: ForeignKey[], references: string): Promise<void> {
  for (const key of keys) {
    await queryRunner.query(`ALTER TABLE ${key.table} ADD CONSTRAINT "${key.name}" FOREIGN KEY ${key.columns} REFERENCES ${references}${key.actions ?? ''}`);
  }
}

/** vouchers' columns, in the order of before (the copies are SELECT *). */
const COLUMNS = `"id" bigint NOT NULL DEFAULT nextval('vouchers_id_seq'), "public_id" uuid NOT NULL, "campaign_id" bigint NOT NULL,
  "round_id" bigint NOT NULL, "resident_id" bigint NOT NULL, "person_seq" smallint NOT NULL, "face_value_fen" bigint NOT NULL,
  "threshold_fen" bigint NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'claimed', "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
  "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "redeemed_at" TIMESTAMP WITH TIME ZONE, "idempotency_key" character varying(64),
  "expiry_run_id" bigint`;

/**
 * The triggers that count vouchers (rounds.issued, the figures), made after the rows are copied
 * so that the copy does not count them again. Their functions are the earlier migrations'.
 */
async function createCountingTriggers(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`CREATE TRIGGER vouchers_count_issued AFTER INSERT ON "vouchers" REFERENCING NEW TABLE AS new_vouchers
    FOR EACH STATEMENT EXECUTE FUNCTION rounds_count_issued()`);
  await queryRunner.query(`CREATE TRIGGER vouchers_figures_claims AFTER INSERT ON "vouchers" REFERENCING NEW TABLE AS new_vouchers
    FOR EACH STATEMENT EXECUTE FUNCTION figures_count_claims()`);
  await queryRunner.query(`CREATE TRIGGER vouchers_figures_expiry AFTER UPDATE OF status, expires_at ON "vouchers" FOR EACH ROW
    WHEN ((OLD.status = 'expired' OR NEW.status = 'expired') AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.expires_at IS DISTINCT FROM NEW.expires_at))
    EXECUTE FUNCTION figures_count_expiry()`);
}

/**
 * ensure_campaign_partition(campaign, lock_wait): the partition vouchers_c<campaign> if it has
 * none yet (true when made). With lock_wait, it waits that long at most for each lock (the
 * attach's on DEFAULT waits for every transaction that read it, and every read of vouchers not
 * pruned to one campaign would queue behind it meanwhile): past it, nothing is made, false. The campaign's vouchers waiting in DEFAULT move into it, with DEFAULT locked
 * against inserts from the move to the attach (a voucher routed there meanwhile waits instead of
 * being left behind and failing the attach). ATTACH takes only SHARE UPDATE EXCLUSIVE on vouchers,
 * so grabs of other campaigns go on; the statements naming the partitions pass vouchers' statement
 * triggers, as a move should (the keys and counts stay). An advisory lock serializes callers.
 */
const ENSURE_CAMPAIGN_PARTITION = `
  CREATE FUNCTION ensure_campaign_partition(campaign bigint, lock_wait interval DEFAULT NULL) RETURNS boolean
  LANGUAGE plpgsql AS $$
  DECLARE
    part text := format('vouchers_c%s', campaign);
    fallback regclass;
    waited text := current_setting('lock_timeout');
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ensure_campaign_partition'));
    IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'vouchers'::regclass AND c.relname = part) THEN
      RETURN false;
    END IF;
    IF lock_wait IS NOT NULL THEN
      PERFORM set_config('lock_timeout', (extract(epoch FROM lock_wait) * 1000)::bigint::text, true);
    END IF;
    BEGIN
      SELECT i.inhrelid::regclass INTO fallback FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'vouchers'::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
      EXECUTE format('CREATE TABLE %I (LIKE vouchers INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
      PERFORM copy_partition_keys('vouchers', part::regclass, format('_c%s', campaign));
      IF fallback IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', fallback);
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE campaign_id = %s RETURNING *) INSERT INTO %I SELECT * FROM moved',
                       fallback, campaign, part);
      END IF;
      EXECUTE format('ALTER TABLE vouchers ATTACH PARTITION %I FOR VALUES IN (%s)', part, campaign);
    EXCEPTION WHEN lock_not_available THEN
      -- Undone to here: the campaign's vouchers go to DEFAULT until a later call makes it.
      PERFORM set_config('lock_timeout', waited, true);
      RETURN false;
    END;
    PERFORM set_config('lock_timeout', waited, true);
    RETURN true;
  END $$`;

/**
 * copy_partition_keys(parent, part, suffix): the parent's keys and indexes made on `part` before
 * it is attached, each named as the parent's with `suffix` (vouchers_campaign_resident_seq_key_c7),
 * for ATTACH to adopt. A unique violation names the partition's key, so the name still says which
 * key it is (left to ATTACH, the names would be the columns').
 */
const COPY_PARTITION_KEYS = `
  CREATE FUNCTION copy_partition_keys(parent regclass, part regclass, suffix text) RETURNS void
  LANGUAGE plpgsql AS $$
  DECLARE
    k record;
  BEGIN
    FOR k IN SELECT c.relname AS name, con.oid AS constraint_oid, pg_get_indexdef(i.indexrelid) AS def
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
              WHERE i.indrelid = parent ORDER BY c.relname LOOP
      IF k.constraint_oid IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', part, k.name || suffix, pg_get_constraintdef(k.constraint_oid));
      ELSE
        EXECUTE format('CREATE %sINDEX %I ON %s USING %s', CASE WHEN k.def LIKE 'CREATE UNIQUE %' THEN 'UNIQUE ' ELSE '' END,
                       k.name || suffix, part, substring(k.def FROM ' USING (.*)$'));
      END IF;
    END LOOP;
  END $$`;

/** The triggers' functions that keep voucher_keys in step with vouchers. */
const VOUCHER_KEYS_TRIGGERS = `
  CREATE FUNCTION voucher_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO voucher_keys (voucher_id, campaign_id, public_id, resident_id, idempotency_key)
    SELECT id, campaign_id, public_id, resident_id, idempotency_key FROM new_vouchers;
    RETURN NULL;
  END $$;
  CREATE FUNCTION voucher_keys_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM voucher_keys k USING old_vouchers o WHERE k.voucher_id = o.id;
    RETURN NULL;
  END $$;
  CREATE FUNCTION voucher_keys_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'a voucher''s id, campaign, public id, resident and Idempotency-Key are fixed';
  END $$`;
