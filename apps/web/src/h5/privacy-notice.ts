// The version of the privacy notice this H5 shows (PrivacyPage.vue, the words in messages.ts:
// privacy.*). The sign-in sends it as the notice agreed to, and the server records it; the server
// holds the same (apps/issuance/src/residents/consents/privacy-notice.ts; privacy-notice.spec.ts
// keeps the two equal). A change of the notice's words is a new version here and there: a resident
// signed in under the old one is shown the new one once (components/NoticeUpdate.vue).
export const PRIVACY_NOTICE_VERSION = '2026-12-07';

