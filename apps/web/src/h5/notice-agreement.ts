// Whether this phone saw its signed-in resident agree to the privacy notice in force: set by a
// sign-in here and by the sheet of a changed notice (components/NoticeUpdate.vue), cleared at
// sign-out. Kept apart from privacy-notice.ts, which the server's unit test reads too.
import { PRIVACY_NOTICE_VERSION } from './privacy-notice';

const AGREED_KEY = 'vouchers.h5.noticeAgreed';

/** This phone saw its signed-in resident agree to this version (at sign-in, or in the sheet of a changed notice). */
export function noticeAgreedHere(): boolean {
  return localStorage.getItem(AGREED_KEY) === PRIVACY_NOTICE_VERSION;
}

export function rememberNoticeAgreed(): void {
  localStorage.setItem(AGREED_KEY, PRIVACY_NOTICE_VERSION);
}

export function forgetNoticeAgreed(): void {
  localStorage.removeItem(AGREED_KEY);
}
