import { AppError } from '@vouchers/common';
import { ConsentErrorCode } from './consent-errors';

/**
 * The version of the privacy notice the residents' H5 shows (apps/web/src/h5/privacy-notice.ts
 * holds the same, a unit test keeps them equal). A change of the notice's words is a new version:
 * sign-ins then record consent to it, and a page still showing the old one is refused
 * (PRIVACY_NOTICE_OUTDATED) until it loads the new.
 */
export const PRIVACY_NOTICE_VERSION = '2026-12-07';

/** What a resident consents to: the notice, at sign-in; the handling of name and ID number, at real-name verification. */
export type ConsentKind = 'privacy_notice' | 'sensitive_real_name';

/** The sign-in's consent: the version of the notice agreed to must be the current one. */
export function requireCurrentNotice(agreedTo: string | undefined): void {
  if (agreedTo === undefined || agreedTo === '') {
    throw new AppError(ConsentErrorCode.PrivacyConsentRequired, 'Agree to the privacy notice first: send the version you agreed to as privacyNotice');
  }
  if (agreedTo !== PRIVACY_NOTICE_VERSION) {
    throw new AppError(ConsentErrorCode.PrivacyNoticeOutdated, 'The privacy notice has changed; show the current one and ask again', {
      current: PRIVACY_NOTICE_VERSION,
    });
  }
}

/** The real-name verification's consent to the handling of sensitive information: only `true` is one. */
export function requireSensitiveConsent(given: boolean | undefined): void {
  if (given !== true) {
    throw new AppError(ConsentErrorCode.SensitiveConsentRequired, 'Agree to the handling of your name and ID number first (sensitiveConsent: true)');
  }
}
