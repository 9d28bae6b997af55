import { AppError } from '@vouchers/common';
import { Official } from '@vouchers/database';
import { acceptedTotpStep, activationCodeHash, openTotpSecret, passwordMatches } from '@vouchers/officials';
import { EntityManager } from 'typeorm';
import { OfficialAuthErrorCode } from './official-auth-errors';
import {
  NO_WAIT_FOR_DISK,
  OFFICIAL_FOR_CREDENTIALS,
  OFFICIAL_FOR_CREDENTIALS_BY_ID,
  OFFICIAL_FOR_PASSWORD,
  RECORD_FAILED_ATTEMPT,
  RECORD_SUCCESS,
  SPEND_TOTP_STEP,
} from './official-credentials.sql';
import { SIGN_IN_POLICY } from './sign-in-policy';

/** An official's row as a credential check reads it, locked for the transaction. */
export type CredentialRow = Pick<
  Official,
  'id' | 'publicId' | 'phone' | 'name' | 'role' | 'district' | 'disabledAt' | 'passwordHash' | 'totpSecret' | 'totpLastStep'
  | 'activationCodeHash' | 'activationExpiresAt' | 'tokenVersion' | 'createdAt' | 'lastSignInAt'
> & { lockedForSeconds: number; activationExpired: boolean };

/** Why a credential was not accepted; returned, not thrown, so the failure's count commits. */
export type CredentialRefusal = { locked: number } | { invalid: number | null; code: OfficialAuthErrorCode };

/** Compared against when the phone is unknown, so an unknown number takes as long as a wrong password. */
const DECOY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$9272+KstlsDTcdZYkwFW+Q$IAgLjyPrZVfQF3gnKzP9lMK550Onr0Byw5qwvJdaxXs';

export async function lockedOfficialByPhone(manager: EntityManager, phone: string): Promise<CredentialRow | null> {
  const [row] = (await manager.query(OFFICIAL_FOR_CREDENTIALS, [phone])) as CredentialRow[];
  return row ? { ...row, id: String(row.id) } : null;
}

/** The account as it is, not locked: for checking a password before taking the lock (and a connection). */
export async function officialByPhone(db: Pick<EntityManager, 'query'>, phone: string): Promise<CredentialRow | null> {
  const [row] = (await db.query(OFFICIAL_FOR_PASSWORD, [phone])) as CredentialRow[];
  return row ? { ...row, id: String(row.id) } : null;
}

/** Spends a right TOTP code's step on a locked account (SPEND_TOTP_STEP). */
export async function spendTotpStep(manager: EntityManager, row: CredentialRow, step: number): Promise<void> {
  await manager.query(SPEND_TOTP_STEP, [row.id, step]);
}

/** This transaction's commit does not wait for the disk (NO_WAIT_FOR_DISK): for failures only. */
export async function noWaitForDisk(manager: EntityManager): Promise<void> {
  await manager.query(NO_WAIT_FOR_DISK);
}

export async function lockedOfficialById(manager: EntityManager, id: string): Promise<CredentialRow> {
  const [row] = (await manager.query(OFFICIAL_FOR_CREDENTIALS_BY_ID, [id])) as CredentialRow[];
  return { ...row, id: String(row.id) };
}

/** The password check, or the decoy's when there is no hash to check, so timing tells nothing. */
export async function passwordHolds(row: Pick<CredentialRow, 'passwordHash'> | null, password: string): Promise<boolean> {
  const holds = await passwordMatches(row?.passwordHash ?? DECOY_HASH, password);
  return holds && row?.passwordHash != null;
}

/** The TOTP step a code matches for this account, not spent before; or null. sealKey: BANK_ACCOUNT_KEY (sealTotpSecret). */
export function totpStepOf(row: CredentialRow, code: string, sealKey: string): number | null {
  if (!row.totpSecret) return null;
  let secret: string;
  try {
    secret = openTotpSecret(row.totpSecret, sealKey);
  } catch {
    // Sealed under another key (BANK_ACCOUNT_KEY changed) or altered: no code matches; an administrator's reset enrols anew.
    return null;
  }
  return acceptedTotpStep(secret, code, row.totpLastStep);
}

/** Whether the activation code is the account's outstanding one, still within its time. */
export function activationHolds(row: CredentialRow, code: string): boolean {
  return row.activationCodeHash !== null && !row.activationExpired && row.activationCodeHash === activationCodeHash(code);
}

/** Counts a failed attempt (the last one locks the account) and says what to answer. */
export async function failedAttempt(manager: EntityManager, row: CredentialRow, code: OfficialAuthErrorCode): Promise<CredentialRefusal> {
  // An UPDATE's answer through TypeORM is [rows, affected].
  const [[{ attemptsLeft }]] = (await manager.query(RECORD_FAILED_ATTEMPT, [row.id, SIGN_IN_POLICY.maxFailures, SIGN_IN_POLICY.lockSeconds])) as [
    [{ attemptsLeft: number }],
    number,
  ];
  return attemptsLeft === 0 ? { locked: SIGN_IN_POLICY.lockSeconds } : { invalid: attemptsLeft, code };
}

/**
 * Records right credentials (RECORD_SUCCESS) and answers when the official last signed in:
 * now when `signsIn` (a sign-in, an activation's end), else the time kept before.
 */
export async function succeeded(manager: EntityManager, row: CredentialRow, totpStep: number | null, { signsIn }: { signsIn: boolean }): Promise<Date | null> {
  // An UPDATE's answer through TypeORM is [rows, affected].
  const [[{ lastSignInAt }]] = (await manager.query(RECORD_SUCCESS, [row.id, totpStep, signsIn])) as [[{ lastSignInAt: Date | null }], number];
  return lastSignInAt;
}

export function refusalError(refusal: CredentialRefusal): AppError {
  if ('locked' in refusal) {
    return new AppError(OfficialAuthErrorCode.AccountLocked, 'Too many failed attempts: the account is locked for a while', {
      retryAfterSeconds: refusal.locked,
    });
  }
  const message =
    refusal.code === OfficialAuthErrorCode.ActivationCodeInvalid
      ? 'The activation code is wrong, expired or already used'
      : 'The phone number, password or TOTP code is wrong';
  return new AppError(refusal.code, message, refusal.invalid === null ? undefined : { attemptsLeft: refusal.invalid });
}
