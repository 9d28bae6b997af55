/**
 * A demo official's current TOTP code, for signing in without an authenticator app (the demo's
 * secrets are fixed and printed by the banner; no database is read):
 *   npm run -s demo:totp -- FINANCE_A          prints 123456
 *   npm run demo:totp -- FINANCE_A --uri       prints the otpauth URI and its QR code, to add to an authenticator
 * A code signs in once: a second sign-in of the same official waits for the next one (30 s).
 */
import { totpCodeOf, totpUri } from '@vouchers/officials';
import { toString as qrToString } from 'qrcode';
import { DEMO_OFFICIALS, demoOfficial } from './demo-officials';

async function main(argv: string[]): Promise<void> {
  const official = demoOfficial(argv[0] ?? '');
  const flags = argv.slice(1);
  if (!official || flags.some((flag) => flag !== '--uri')) {
    console.error(`usage: npm run -s demo:totp -- <${DEMO_OFFICIALS.map((known) => known.key).join('|')}> [--uri]`);
    process.exit(2);
  }
  if (flags.length === 0) {
    console.log(totpCodeOf(official.totpSecret));
    return;
  }
  const uri = totpUri(official.totpSecret, official.phone);
  console.log(uri);
  console.log(await qrToString(uri, { type: 'terminal', small: true }));
}

void main(process.argv.slice(2));
