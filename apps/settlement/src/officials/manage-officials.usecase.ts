import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { Official, recordAudit } from '@vouchers/database';
import { AccountRole, createOfficialAccount, issueActivation, OfficialAccountErrorCode, requireScopeFits } from '@vouchers/officials';
import { requirePhone } from '@vouchers/otp';
import { Sessions } from '@vouchers/sessions';
import { DataSource, EntityManager } from 'typeorm';
import { ActivationIssuedView } from './dtos/activation-issued.view';
import { ChangeOfficialDto, CreateOfficialDto } from './dtos/official-account.dto';
import { officialViewOf, OfficialView } from './dtos/official.view';
import { actorOf, lockedTarget, refuseOwnAccount } from './official-targets';

/**
 * What account administrators do to officials' accounts, each in one transaction with its
 * audit entry. Whatever takes access away (disabling, a reset, a new role or district) ends the
 * account's sessions and raises its token version, so its live access tokens stop at once.
 */
@Injectable()
export class ManageOfficials {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
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

  async change(user: AuthUser, officialId: string, body: ChangeOfficialDto, requestId: string | null): Promise<OfficialView> {
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
   * TOTP enrolment (the old secret is dropped: the phone may be what was lost).
   */
  async reset(user: AuthUser, officialId: string, requestId: string | null): Promise<ActivationIssuedView> {
    return this.db.transaction(async (manager) => {
      const official = await lockedTarget(manager, officialId);
      refuseOwnAccount(user, official);
      const issued = await issueActivation(manager, official.id);
      await manager.update(Official, { id: official.id }, { totpSecret: null, totpLastStep: null });
      await this.endAccess(manager, official);
      await recordAudit(manager, {
        ...actorOf(user, requestId),
        action: 'official.reset',
        targetType: 'official',
        targetId: official.publicId,
        detail: { activationExpiresAt: issued.activationExpiresAt },
      });
      const reset = await manager.findOneByOrFail(Official, { id: official.id });
      return { official: officialViewOf(reset), ...issued };
    });
  }

  private endAccess(manager: EntityManager, official: Official): Promise<void> {
    return this.sessions.endEverySession(manager, { kind: 'official', id: official.id });
  }
}
