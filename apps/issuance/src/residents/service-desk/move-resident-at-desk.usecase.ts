import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { recordAudit } from '@vouchers/database';
import { maskPhone, OneTimeCodes, requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { NumberMove } from '../phone-change/number-move';
import { refuseUnchanged } from '../phone-change/phone-change-rules';
import { DeskMovedView } from './dtos/resident-at-desk.view';
import { requireVerified, residentNotFound } from './verified-residents';

export interface MoveResidentAtDeskCommand {
  residentId: string;
  phone: string;
  code: string;
  reason: string;
  address: string;
  requestId: string | null;
}

/**
 * A commerce official moves a resident who lost their old number (and so cannot sign in to make
 * the change themselves) to their new one: the resident showed their ID card (LookUpResident
 * found the account) and reads the code sent to the new number. The move is the resident's own
 * (NumberMove): the same refusals, the same locks, every session of the account ended, an empty
 * account on the new number retired. Audited as its own action, the official its actor and the
 * resident its subject, with both numbers masked and the official's reason.
 */
@Injectable()
export class MoveResidentAtDesk {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(NumberMove) private readonly move: NumberMove,
  ) {}

  async execute(official: AuthUser, command: MoveResidentAtDeskCommand): Promise<DeskMovedView> {
    const phone = requirePhone(command.phone);
    // Before the code is tried, so a mistyped number or resident leaves the code for the right one.
    const resident = await requireVerified(this.db.manager, command.residentId);
    refuseUnchanged(resident, phone);
    await this.codes.verify({ phone, code: command.code, address: command.address });
    return this.db.transaction(async (manager) => {
      const moved = await this.move.moveToNumber(manager, resident.id, phone);
      if (!moved) throw residentNotFound();
      const [from, to] = [maskPhone(moved.previousPhone), maskPhone(phone)];
      await recordAudit(manager, {
        actorId: official.sub,
        actorRole: official.role,
        action: 'resident.phone_change_by_official',
        targetType: 'resident',
        targetId: moved.publicId,
        detail: { from, to, emptyAccountRetired: moved.retiredEmptyAccount, reason: command.reason.trim() },
        requestId: command.requestId,
      });
      return { id: moved.publicId, from, to, emptyAccountRetired: moved.retiredEmptyAccount };
    });
  }
}
