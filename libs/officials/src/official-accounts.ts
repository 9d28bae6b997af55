import { Role } from '@vouchers/auth';
import { AppError, newPublicId } from '@vouchers/common';
import { Official, recordAudit } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { ACTIVATION_TTL_HOURS, activationCodeHash, newActivationCode } from './activation-codes';
import { OfficialAccountErrorCode } from './official-account-errors';
import { AccountRole } from './official-roles';

export interface OfficialFields {
  /** Already normalised (requirePhone). */
  phone: string;
  name: string;
  role: AccountRole;
  /** A district code, or null for city-wide. */
  district: string | null;
}

/** Who makes a change, as the audit log records them. */
export interface AccountActor {
  actorId: string;
  actorRole: string;
  requestId?: string | null;
}

export interface IssuedActivation {
  activationCode: string;
  activationExpiresAt: Date;
}

/** The command that creates the first administrator, as the audit log names it. */
export const COMMAND_ACTOR: AccountActor = { actorId: 'officials:add', actorRole: 'system' };

/** Administrators manage every district's accounts, so they are city-wide themselves. */
export function requireScopeFits(role: AccountRole, district: string | null): void {
  if (role === Role.OfficialAdmin && district !== null) {
    throw new AppError(OfficialAccountErrorCode.AdministratorCityWide, 'An account administrator is city-wide; send no district');
  }
}

/**
 * A new account with an activation code, audited in the caller's transaction: the person
 * activates it with the code (setting a password and enrolling TOTP). The code is answered
 * once and kept only as a hash.
 */
export async function createOfficialAccount(
  manager: EntityManager,
  fields: OfficialFields,
  actor: AccountActor,
): Promise<{ official: Official } & IssuedActivation> {
  requireScopeFits(fields.role, fields.district);
  const activationCode = newActivationCode();
  const { raw }: { raw: unknown[] } = await manager
    .createQueryBuilder()
    .insert()
    .into(Official)
    .values({
      publicId: newPublicId(),
      ...fields,
      activationCodeHash: activationCodeHash(activationCode),
      activationExpiresAt: () => 'now() + make_interval(hours => :activationHours)',
    })
    .setParameter('activationHours', ACTIVATION_TTL_HOURS)
    .orIgnore()
    .returning('id')
    .execute();
  if (raw.length === 0) {
    throw new AppError(OfficialAccountErrorCode.PhoneTaken, 'Another official\'s account has this phone number');
  }
  const official = await manager.findOneByOrFail(Official, { phone: fields.phone });
  await recordAudit(manager, {
    ...actor,
    action: 'official.create',
    targetType: 'official',
    targetId: official.publicId,
    detail: { role: official.role, district: official.district },
  });
  return { official, activationCode, activationExpiresAt: official.activationExpiresAt as Date };
}

/**
 * A fresh activation code for an account (a reset): the account cannot sign in until it is
 * activated again, with a new password and a new TOTP enrolment. Sets the columns only; the
 * caller ends the sessions and audits.
 */
export async function issueActivation(manager: EntityManager, officialRowId: string): Promise<IssuedActivation> {
  const activationCode = newActivationCode();
  await manager
    .createQueryBuilder()
    .update(Official)
    .set({
      activationCodeHash: activationCodeHash(activationCode),
      activationExpiresAt: () => 'now() + make_interval(hours => :activationHours)',
      tokenVersion: () => 'token_version + 1',
      failedAttempts: 0,
      lockedUntil: null,
    })
    .setParameter('activationHours', ACTIVATION_TTL_HOURS)
    .where('id = :id', { id: officialRowId })
    .execute();
  const { activationExpiresAt } = await manager.findOneByOrFail(Official, { id: officialRowId });
  return { activationCode, activationExpiresAt: activationExpiresAt as Date };
}
