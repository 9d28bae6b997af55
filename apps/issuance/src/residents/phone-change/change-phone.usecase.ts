import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { recordAudit, Resident } from '@vouchers/database';
import { maskPhone, OneTimeCodes, requirePhone } from '@vouchers/otp';
import { Sessions } from '@vouchers/sessions';
import { DataSource, EntityManager } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { ResidentErrorCode } from '../resident-errors';
import { ResidentAccount } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';
import { holdsSomething, lockResidents, phoneTaken, refuseTakenPhone, refuseUnchanged, requireResident } from './phone-change-rules';

export interface ChangePhoneCommand {
  phone: string;
  code: string;
  address: string;
  requestId: string | null;
}

/**
 * Moves the signed-in resident's account (vouchers, lottery entries, real-name verification:
 * all held by the account's id) to a new number they prove with a number-change code. In one
 * transaction: the number changes, every session of the account ends (a phone left with the old
 * SIM stays signed in no longer), the answer starts a new one for this device, and the audit log
 * records the change with both numbers masked.
 *
 * An account already on the new number that holds nothing (typically made by signing in with the
 * new SIM first) gives the number up: its phone becomes NULL, a retired account that no number
 * signs in to and every lookup passes over (resident-lookup), and its sessions end. It is not
 * deleted: residents are never deleted (residents_kept: vouchers name them without a foreign
 * key), and holding nothing (holdsSomething: no verification, voucher or lottery entry) it loses
 * nothing. One that holds something: 409 PHONE_TAKEN.
 */
@Injectable()
export class ChangePhone {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Sessions) private readonly sessions: Sessions,
    @Inject(SessionIssuer) private readonly issuer: SessionIssuer,
  ) {}

  async execute(caller: AuthUser, command: ChangePhoneCommand): Promise<SessionView> {
    const phone = requirePhone(command.phone);
    // Before the code is tried, so a resident who typed their own number keeps their code and tries.
    await requireResident(this.db.manager, caller, { newPhone: phone });
    await this.codes.verify({ phone, code: command.code, address: command.address });
    return this.db.transaction(async (manager) => {
      const resident = await this.moveToNumber(manager, caller, phone);
      await this.sessions.endEverySession(manager, { kind: 'resident', id: resident.id });
      await recordAudit(manager, {
        actorId: resident.publicId,
        actorRole: 'resident',
        action: 'resident.phone_change',
        targetType: 'resident',
        targetId: resident.publicId,
        detail: { from: maskPhone(resident.previousPhone), to: maskPhone(phone), emptyAccountRetired: resident.retiredEmptyAccount },
        requestId: command.requestId,
      });
      return this.issuer.start(manager, resident);
    });
  }

  private async moveToNumber(
    manager: EntityManager,
    caller: AuthUser,
    phone: string,
  ): Promise<ResidentAccount & { previousPhone: string; retiredEmptyAccount: boolean }> {
    const holder = await manager.findOne(Resident, { select: { id: true }, where: { phone } });
    const own = await manager.findOne(Resident, { select: { id: true }, where: { publicId: caller.sub } });
    if (!own) throw new AppError(ResidentErrorCode.ResidentNotFound, 'No such resident; sign in again');
    const locked = await lockResidents(manager, holder && holder.id !== own.id ? [own.id, holder.id] : [own.id]);
    const resident = locked.find((row) => row.id === own.id);
    if (!resident) throw new AppError(ResidentErrorCode.ResidentNotFound, 'No such resident; sign in again');
    // Read again under the lock: a second confirm of this same change may have committed meanwhile.
    refuseUnchanged(resident, phone);

    // The holder read under the lock; it may have moved to another number since the first read.
    const stillHolder = locked.find((row) => row.id !== own.id && row.phone === phone);
    let retiredEmptyAccount = false;
    if (stillHolder) {
      if (await holdsSomething(manager, stillHolder)) throw phoneTaken();
      await this.sessions.endEverySession(manager, { kind: 'resident', id: stillHolder.id });
      await manager.update(Resident, { id: stillHolder.id }, { phone: null });
      retiredEmptyAccount = true;
    }
    // A number taken since the first read (a sign-in creating it, another change moving to it)
    // is caught by the unique index: the update waits for that commit, then fails.
    await manager.update(Resident, { id: resident.id }, { phone }).catch(refuseTakenPhone);
    return { ...resident, phone, previousPhone: resident.phone, retiredEmptyAccount };
  }
}
