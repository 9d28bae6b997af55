import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError, CommonErrorCode } from '@vouchers/common';
import { Official, recordAudit } from '@vouchers/database';
import { AccountActor, AccountRole, createOfficialAccount, issueActivation, OfficialAccountErrorCode, requireScopeFits } from '@vouchers/officials';
import { requirePhone } from '@vouchers/otp';
import { Sessions } from '@vouchers/sessions';
import { DataSource, EntityManager } from 'typeorm';
import { ActivationIssuedView } from './dtos/activation-issued.view';
import { ChangeOfficialDto, CreateOfficialDto } from './dtos/official-account.dto';
import { officialViewOf, OfficialView } from './dtos/official.view';
import { SignInAttempts } from '../official-auth/sign-in-attempts';
import { actorOf, lockedTarget, refuseOwnAccount } from './official-targets';

/**
 * What account administrators do to officials' accounts, each in one transaction with its
 * audit entry. Whatever takes access away (disabling, a reset, a new role or district) ends the
 * account's sessions and raises its token version, so its live access tokens stop at once. What
 * gives access back (enabling) does it only through a new activation code, as a reset does.
 */
@Injectable()
export class ManageOfficials {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(SignInAttempts) private readonly attempts: SignInAttempts,
  ) {}

  async create(user: AuthUser, body: CreateOfficialDto, requestId: string | null): Promise<ActivationIssuedView> {
    const fields = { phone: requirePhone(body.phone), name: body.name.trim(), role: body.role, district: body.district ?? null };
    return this.db.transaction(async (manager) => {
      const created = await createOfficialAccount(manager, fields, actorOf(user, requestId));
      return { official: officialViewOf(created.official), activationCode: created.activationCode, activationExpiresAt: created.activationExpiresAt };
    });
  }

  async read(officialId: string): Promise<OfficialView> {
    const official = await this.db.manager.findOneBy(Official, { publicId: officialId });
    if (!official) throw new AppError(OfficialAccountErrorCode.OfficialNotFound, 'No such official');
    return officialViewOf(official);
  }

  /**
   * A body that names nothing is refused (NOTHING_TO_CHANGE), before any lock: a client that sent
   * it meant something it did not say. One that names the account's values as they are is no
   * change, answered 200 and not audited.
   */
  async change(user: AuthUser, officialId: string, body: ChangeOfficialDto, requestId: string | null): Promise<OfficialView> {
    if (body.name === undefined && body.role === undefined && body.district === undefined) {
      throw new AppError(CommonErrorCode.NothingToChange, 'Name at least one field to change: name, role or district');
    }
    return this.db.transaction(async (manager) => {
      const official = await lockedTarget(manager, officialId);
      const next = {
        name: body.name?.trim() ?? official.name,
        role: body.role ?? official.role,
        district: body.district === undefined ? official.district : body.district,
      };
      const scopeChanged = next.role !== official.role || next.district !== official.district;
      // Nothing to change, nothing to audit.
      if (!scopeChanged && next.name === official.name) return officialViewOf(official);
      if (next.role !== official.role) refuseOwnAccount(user, official);
      requireScopeFits(next.role as AccountRole, next.district);
      const changes = { ...next, ...(scopeChanged ? { tokenVersion: official.tokenVersion + 1 } : {}) };
      await manager.update(Official, { id: official.id }, changes);
      if (scopeChanged) await this.endAccess(manager, official);
      await recordAudit(manager, {
        ...actorOf(user, requestId),
        action: 'official.change',
        targetType: 'official',
        targetId: official.publicId,
        detail: { before: { name: official.name, role: official.role, district: official.district }, after: next },
      });
      return officialViewOf({ ...official, ...next });
    });
  }

  /** Idempotent: disabling a disabled account changes nothing and writes no second entry. */
  async disable(user: AuthUser, officialId: string, requestId: string | null): Promise<OfficialView> {
    return this.db.transaction(async (manager) => {
      const official = await lockedTarget(manager, officialId);
      refuseOwnAccount(user, official);
      if (official.disabledAt !== null) return officialViewOf(official);
      await manager.update(Official, { id: official.id }, { disabledAt: () => 'now()', tokenVersion: official.tokenVersion + 1 });
      await this.endAccess(manager, official);
      await recordAudit(manager, {
        ...actorOf(user, requestId),
        action: 'official.disable',
        targetType: 'official',
        targetId: official.publicId,
      });
      return officialViewOf(await manager.findOneByOrFail(Official, { id: official.id }));
    });
  }

  /**
   * A new activation code: the account can no longer sign in (the old password answers
   * PASSWORD_CHANGE_REQUIRED) until its holder activates it again with a new password and a new
   * TOTP enrolment (the old secret is dropped: the phone may be what was lost). The number's
   * sign-in counts in Redis start afresh once it commits (the attempts that led to the reset
   * would otherwise keep its holder out of the activation until their window ends).
   */
  async reset(user: AuthUser, officialId: string, requestId: string | null): Promise<ActivationIssuedView> {
    const issued = await this.db.transaction(async (manager) => {
      const official = await lockedTarget(manager, officialId);
      refuseOwnAccount(user, official);
      // Its code could not be used (a disabled account is refused activation): enabling is the way back.
      if (official.disabledAt !== null) throw new AppError(OfficialAccountErrorCode.OfficialDisabled, 'The account is disabled; enable it instead');
      await this.endAccess(manager, official);
      return { phone: official.phone, view: await this.issueAfresh(manager, official, {}, { ...actorOf(user, requestId), action: 'official.reset' }) };
    });
    await this.attempts.startAfresh(issued.phone);
    return issued.view;
  }

  /**
   * A disabled account back in use, never with the credentials it had: enabled as a reset is
   * done, with a new activation code and no TOTP secret, so only someone handed the new code can
   * use it (the account may have been disabled because its password or phone was lost). Its
   * sessions ended with the disabling and none began since (a disabled account cannot sign in);
   * its token version rises all the same, as at every reset. An account that is not disabled is
   * refused and left alone: enabling it would end a working account's sign-ins, a reset by
   * another name.
   */
  async enable(user: AuthUser, officialId: string, requestId: string | null): Promise<ActivationIssuedView> {
    const issued = await this.db.transaction(async (manager) => {
      const official = await lockedTarget(manager, officialId);
      refuseOwnAccount(user, official);
      if (official.disabledAt === null) throw new AppError(OfficialAccountErrorCode.OfficialNotDisabled, 'The account is not disabled');
      return { phone: official.phone, view: await this.issueAfresh(manager, official, { disabledAt: null }, { ...actorOf(user, requestId), action: 'official.enable' }) };
    });
    await this.attempts.startAfresh(issued.phone);
    return issued.view;
  }

  /**
   * A new activation code (issueActivation: the token version rises), the TOTP secret dropped and
   * the caller's changes made, audited with the code's expiry: the account is then pending
   * activation, and the code is answered this once.
   */
  private async issueAfresh(
    manager: EntityManager,
    official: Official,
    changes: Pick<Partial<Official>, 'disabledAt'>,
    entry: AccountActor & { action: string },
  ): Promise<ActivationIssuedView> {
    const issued = await issueActivation(manager, official.id);
    await manager.update(Official, { id: official.id }, { ...changes, totpSecret: null, totpLastStep: null });
    await recordAudit(manager, { ...entry, targetType: 'official', targetId: official.publicId, detail: { activationExpiresAt: issued.activationExpiresAt } });
    const reissued = await manager.findOneByOrFail(Official, { id: official.id });
    return { official: officialViewOf(reissued), ...issued };
  }

  private endAccess(manager: EntityManager, official: Official): Promise<void> {
    return this.sessions.endEverySession(manager, { kind: 'official', id: official.id });
  }
}
