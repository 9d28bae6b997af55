import { errorCatalogue } from '@vouchers/common';

/** Refusals of a sign-in or real-name verification made without the consent it needs. Each changes nothing and tries no code. */
export enum ConsentErrorCode {
  PrivacyConsentRequired = 'PRIVACY_CONSENT_REQUIRED',
  PrivacyNoticeOutdated = 'PRIVACY_NOTICE_OUTDATED',
  SensitiveConsentRequired = 'SENSITIVE_CONSENT_REQUIRED',
}

export const CONSENT_ERRORS = errorCatalogue<ConsentErrorCode>('resident consents', {
  [ConsentErrorCode.PrivacyConsentRequired]: { status: 400, meaning: 'A resident sign-in names the privacy notice version agreed to (privacyNotice)' },
  [ConsentErrorCode.PrivacyNoticeOutdated]: { status: 409, meaning: 'The privacy notice agreed to is not the current one (details.current)' },
  [ConsentErrorCode.SensitiveConsentRequired]: {
    status: 400,
    meaning: 'Real-name verification needs consent to the handling of the name and ID number (sensitiveConsent: true)',
  },
});
