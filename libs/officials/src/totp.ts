import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';
import { toString as qrToString } from 'qrcode';

/** What authenticator apps show above the code. */
export const TOTP_ISSUER = 'Ningbo Vouchers';

/** RFC 6238 with the apps' defaults: SHA-1, six digits, 30-second steps; 160-bit secrets. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, phone: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: phone, secret });
}

/** The enrolment QR code as an SVG document, for an <img src="data:image/svg+xml,..."> or inline. */
export function totpQrSvg(uri: string): Promise<string> {
  return qrToString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The current code of a secret: for tests and the demo, never for a server decision. */
export function totpCodeOf(secret: string, epochSeconds?: number): string {
  return generateSync({ secret, ...(epochSeconds === undefined ? {} : { epoch: epochSeconds }) });
}

/**
 * The time step a code matches, or null. A phone's clock may be a step behind or ahead, so the
 * steps either side count too; a step at or before the last one accepted is refused, so a code
 * seen over a shoulder (or in a log) cannot be used again while it is still current.
 */
export function acceptedTotpStep(secret: string, code: string, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({ secret, token: code, epochTolerance: 30, ...(lastStep === null ? {} : { afterTimeStep: lastStep }) });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
