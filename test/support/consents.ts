import { PRIVACY_NOTICE_VERSION } from '../../apps/issuance/src/residents/consents/privacy-notice';

/** What a resident's sign-in sends beside the number and code: the privacy notice agreed to. */
export const SIGN_IN_CONSENT = { privacyNotice: PRIVACY_NOTICE_VERSION } as const;

/** What a real-name verification sends beside the name and ID number: the consent to their handling. */
export const REAL_NAME_CONSENT = { sensitiveConsent: true } as const;
