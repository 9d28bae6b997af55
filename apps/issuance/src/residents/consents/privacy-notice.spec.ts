import { PRIVACY_NOTICE_VERSION as SHOWN_VERSION } from '../../../../web/src/h5/privacy-notice';
import { PRIVACY_NOTICE_VERSION, requireCurrentNotice, requireSensitiveConsent } from './privacy-notice';

describe('the privacy notice version', () => {
  it('is the same on the H5 that shows the notice and on the server that records consent to it', () => {
    expect(SHOWN_VERSION).toBe(PRIVACY_NOTICE_VERSION);
    expect(PRIVACY_NOTICE_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('takes the current version only, and sensitive consent only when it is true', () => {
    expect(() => requireCurrentNotice(PRIVACY_NOTICE_VERSION)).not.toThrow();
    expect(() => requireCurrentNotice(undefined)).toThrow(expect.objectContaining({ code: 'PRIVACY_CONSENT_REQUIRED' }));
    expect(() => requireCurrentNotice('')).toThrow(expect.objectContaining({ code: 'PRIVACY_CONSENT_REQUIRED' }));
    expect(() => requireCurrentNotice('2020-01-01')).toThrow(expect.objectContaining({ code: 'PRIVACY_NOTICE_OUTDATED', details: { current: PRIVACY_NOTICE_VERSION } }));
    expect(() => requireSensitiveConsent(true)).not.toThrow();
    expect(() => requireSensitiveConsent(false)).toThrow(expect.objectContaining({ code: 'SENSITIVE_CONSENT_REQUIRED' }));
    expect(() => requireSensitiveConsent(undefined)).toThrow(expect.objectContaining({ code: 'SENSITIVE_CONSENT_REQUIRED' }));
  });
});
