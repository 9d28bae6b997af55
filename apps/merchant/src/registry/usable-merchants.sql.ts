/**
 * Approved merchants where a campaign's vouchers can be used (its categories; its districts,
 * when it names any), optionally narrowed, nearest first, in keyset pages on (distance, public
 * id). The order key is computed: metres from the given point by a flat-earth approximation
 * (fine at city scale), or $10 (far away) without a point or without coordinates, so those
 * sort after every located merchant. Columns come back under the Merchant entity's
 * property names, and the distance as "distanceM".
 *
 * $1 campaign public id, $2 district or null, $3 category or null, $4 whether a point is
 * given, $5 its latitude, $6 its longitude (0 when not given), $7 the cursor's distance and
 * $8 its public id (both null on the first page), $9 rows to read, $10 the distance of
 * merchants not located.
 */
export const USABLE_MERCHANTS = `
  SELECT * FROM (
    SELECT m.public_id AS "publicId", m.shop_name AS "shopName", m.district, m.category, m.address, m.latitude, m.longitude,
           CASE WHEN NOT $4::boolean OR m.latitude IS NULL THEN $10::int
                ELSE round(6371000 * sqrt(power(radians(m.longitude - $6::float8) * cos(radians((m.latitude + $5::float8) / 2)), 2)
                                        + power(radians(m.latitude - $5::float8), 2)))::int END AS "distanceM"
      FROM merchants m
      JOIN campaigns c ON c.public_id = $1::uuid
     WHERE m.status = 'approved'
       AND m.category = ANY (c.categories)
       AND (cardinality(c.districts) = 0 OR m.district = ANY (c.districts))
       AND ($2::text IS NULL OR m.district = $2::text)
       AND ($3::text IS NULL OR m.category = $3::text)
  ) usable
  WHERE ($7::int IS NULL OR ("distanceM", "publicId") > ($7::int, $8::uuid))
  ORDER BY "distanceM", "publicId"
  LIMIT $9::int`;
