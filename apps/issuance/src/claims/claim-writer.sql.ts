/**
 * One statement, so one round trip in autocommit: the share lock on the campaign's admission
 * generation (a rebuild waits for it) and the insert, which writes nothing when the generation
 * is stale. `current` tells stale (0) from rows refused by a unique key.
 *
 * vouchers is partitioned by campaign (docs/partitions.md): ON CONFLICT sees the per-person keys,
 * which hold the campaign. A resident's Idempotency-Key is unique across campaigns in
 * voucher_keys, written by vouchers' trigger, where a conflict fails the statement rather than
 * skipping the row; so a claim whose key the resident used already is left out here, as ON
 * CONFLICT left it out before (a key committed by another campaign's batch meanwhile still fails
 * the statement: the writer then sends the batch once more, and this check finds it).
 *
 * Each resident is looked up by a scalar subquery, so always through the unique index on
 * residents.public_id: a join let the planner hash the whole residents table for every batch
 * (24 ms of a 30 ms batch of 250 on 60,000 residents). Named, so planned once per connection.
 * Only a live account (one with a number) takes a voucher: a token outlives the closing of its
 * account, or its retirement by a number change, by up to its lifetime, and a claim made with it
 * is left out and listed in `gone`.
 *
 * $1 campaign id, $2 admission generation; one array element per claim: $3 voucher public ids,
 * $4 round ids, $5 resident public ids, $6 person slots, $7 face values and $8 thresholds (fen),
 * $9 claimed at, $10 expires at, $11 Idempotency-Keys ('' for none).
 */
export const INSERT_CLAIMS = `
  WITH admission AS (
    SELECT 1 FROM campaign_admission WHERE campaign_id = $1 AND generation = $2 FOR SHARE
  ), claims AS MATERIALIZED (
    SELECT c.*, (SELECT res.id FROM residents res WHERE res.public_id = c.resident_public_id AND res.phone IS NOT NULL) AS resident_id
      FROM unnest($3::uuid[], $4::bigint[], $5::uuid[], $6::smallint[], $7::bigint[], $8::bigint[],
                  $9::timestamptz[], $10::timestamptz[], $11::text[])
           AS c(public_id, round_id, resident_public_id, slot, face, threshold, claimed_at, expires_at, idem)
  ), inserted AS (
    INSERT INTO vouchers (public_id, campaign_id, round_id, resident_id, person_seq,
                          face_value_fen, threshold_fen, status, claimed_at, expires_at, idempotency_key)
    SELECT c.public_id, $1, c.round_id, c.resident_id, c.slot, c.face, c.threshold, 'claimed',
           c.claimed_at, c.expires_at, NULLIF(c.idem, '')
      FROM claims c
     WHERE c.resident_id IS NOT NULL AND EXISTS (SELECT 1 FROM admission)
       AND (c.idem = '' OR NOT EXISTS (SELECT 1 FROM voucher_keys k WHERE k.resident_id = c.resident_id AND k.idempotency_key = c.idem))
    ON CONFLICT DO NOTHING
    RETURNING public_id
  )
  SELECT (SELECT count(*) FROM admission)::int AS current, array_agg(public_id)::text[] AS ids,
         (SELECT array_agg(public_id) FROM claims WHERE resident_id IS NULL)::text[] AS gone
    FROM inserted`;
