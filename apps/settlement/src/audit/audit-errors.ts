import { errorCatalogue } from '@vouchers/common';

export enum AuditErrorCode {
  /** 403: a district-scoped official asked for the audit trail, which is read city-wide only. */
  CityWideOnly = 'AUDIT_TRAIL_CITY_WIDE_ONLY',
}

export const AUDIT_ERRORS = errorCatalogue<AuditErrorCode>('audit trail', {
  [AuditErrorCode.CityWideOnly]: {
    status: 403,
    meaning: 'The audit trail is read by auditors and officials without a district; a district-scoped token is refused',
  },
});
