import { Inject, Injectable } from '@nestjs/common';
import { Resident } from '@vouchers/database';
import { Sessions } from '@vouchers/sessions';
import { EntityManager } from 'typeorm';
import { ResidentAccount } from '../resident-lookup';
import { holdsSomething, lockResidents, phoneTaken, refuseTakenPhone, refuseUnchanged } from './phone-change-rules';

/** The account after its move: on the new number, with the number it left and whether an empty account gave the new one up. */
export type MovedAccount = ResidentAccount & { previousPhone: string; retiredEmptyAccount: boolean };

/**
 * Moves a resident's account (vouchers, lottery entries, real-name verification: all held by the
 * account's id) to a new number, in the caller's transaction, and ends every session of it. The
 * one move of both paths: the resident's own change (ChangePhone) and an official's at the
 * service desk (MoveResidentAtDesk), so both refuse and race alike. Each caller proves the new
 * number (its code) first, and records its own audit entry after.
 *
 * An account already on the new number that holds nothing (typically made by signing in with the
 * new SIM first) gives the number up: its phone becomes NULL, a retired account that no number
 * signs in to and every lookup passes over (resident-lookup), and its sessions end. It is not
 * deleted: residents are never deleted (residents_kept: vouchers name them without a foreign
 * key), and holding nothing (holdsSomething: no verification, voucher or lottery entry) it loses
 * nothing. One that holds something: 409 PHONE_TAKEN.
 */
@Injectable()
export class NumberMove {
  constructor(@Inject(Sessions) private readonly sessions: Sessions) {}

  /** The moved account, or null when the resident (internal id) is no live account any more (retired meanwhile). */
  async moveToNumber(manager: EntityManager, residentId: string, phone: string): Promise<MovedAccount | null> {
    const holder = await manager.findOne(Resident, { select: { id: true }, where: { phone } });
    const locked = await lockResidents(manager, holder && holder.id !== residentId ? [residentId, holder.id] : [residentId]);
    const resident = locked.find((row) => row.id === residentId);
    if (!resident) return null;
    // Read again under the lock: a second confirm of this same change may have committed meanwhile.
    refuseUnchanged(resident, phone);

    // The holder read under the lock; it may have moved to another number since the first read.
    const stillHolder = locked.find((row) => row.id !== residentId && row.phone === phone);
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
    // A phone left with the old SIM (or lost with it) stays signed in no longer.
    await this.sessions.endEverySession(manager, { kind: 'resident', id: resident.id });
    return { ...resident, phone, previousPhone: resident.phone, retiredEmptyAccount };
  }
}
