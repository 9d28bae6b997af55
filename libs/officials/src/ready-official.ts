import { newPublicId } from '@vouchers/common';
import { Official } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { requireScopeFits, OfficialFields } from './official-accounts';
import { hashPassword } from './password-hash';
import { passwordProblem } from './password-rules';
import { newTotpSecret, sealTotpSecret } from './totp';

export interface ReadyOfficialInput extends OfficialFields {
  /** Must pass the password rules, as one chosen at activation would. */
  password: string;
  /** Base32; a new one when absent. Known secrets let a demo print codes (totpCodeOf). */
  totpSecret?: string;
  /** BANK_ACCOUNT_KEY, which seals the TOTP secret in the table (sealTotpSecret). */
  sealKey: string;
}

/**
 * An active official who can sign in at once with the password and the TOTP secret, without an
 * activation: for the demo seed and tests, never for a real account (whose password only its
 * holder knows). Idempotent by phone: a second call resets the account to these credentials,
 * enabled, unlocked, with no activation outstanding, and raises its token version.
 */
export async function createReadyOfficial(manager: EntityManager, input: ReadyOfficialInput): Promise<{ publicId: string; totpSecret: string }> {
  const { password, totpSecret = newTotpSecret(), sealKey, ...fields } = input;
  requireScopeFits(fields.role, fields.district);
  const problem = passwordProblem(password, fields.phone);
  if (problem) throw new Error(`The password for ${fields.phone} breaks a password rule: ${problem}`);
  const { raw }: { raw: Array<{ public_id: string }> } = await manager
    .createQueryBuilder()
    .insert()
    .into(Official)
    .values({
      publicId: newPublicId(),
      ...fields,
      passwordHash: await hashPassword(password),
      totpSecret: sealTotpSecret(totpSecret, sealKey),
      totpLastStep: null,
      failedAttempts: 0,
      lockedUntil: null,
      activationCodeHash: null,
      activationExpiresAt: null,
      disabledAt: null,
    })
    .orUpdate(
      ['name', 'role', 'district', 'password_hash', 'totp_secret', 'totp_last_step', 'failed_attempts', 'locked_until',
        'activation_code_hash', 'activation_expires_at', 'disabled_at'],
      ['phone'],
    )
    .returning('public_id')
    .execute();
  // Tokens signed before stop (OfficialStanding): they may carry a role or district the reset just changed.
  await manager.increment(Official, { phone: fields.phone }, 'tokenVersion', 1);
  return { publicId: raw[0].public_id, totpSecret };
}
