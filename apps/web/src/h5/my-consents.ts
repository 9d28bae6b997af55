// The signed-in resident's consents as the server recorded them (GET /v1/residents/me/consents):
// read by the privacy notice to show them, and by the sheet of a changed notice to decide whether
// to show itself, which hands what it read to the notice inside it rather than reading twice.
import { residentCall } from './resident-session';

export interface Consent {
  kind: 'privacy_notice' | 'sensitive_real_name';
  version: string;
  givenAt: string;
}

export interface MyConsents {
  items: Consent[];
  /** The notice version the server holds in force. */
  currentVersion: string;
}

export function readMyConsents(): Promise<MyConsents> {
  return residentCall<MyConsents>('issuance', '/v1/residents/me/consents');
}
