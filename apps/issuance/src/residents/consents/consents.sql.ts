/**
 * Records consents of one resident under one notice version: $1 the resident's id, $2 the kinds,
 * $3 the version. A consent already recorded for that version keeps its first time.
 */
export const RECORD_CONSENTS = `
  INSERT INTO resident_consents (resident_id, kind, version)
  SELECT $1::bigint, kind, $3 FROM unnest($2::text[]) AS k(kind)
  ON CONFLICT (resident_id, kind, version) DO NOTHING`;
