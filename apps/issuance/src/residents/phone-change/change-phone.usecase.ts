import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { recordAudit } from '@vouchers/database';
import { maskPhone, OneTimeCodes, requirePhone } from '@vouchers/otp';
import { DataSource } from 'typeorm';
import { SessionView } from '../dtos/session.view';
import { residentNotFound } from '../resident-lookup';
import { SessionIssuer } from '../sessions/session-issuer';
import { NumberMove } from './number-move';
import { requireResident } from './phone-change-rules';

export interface ChangePhoneCommand {
  phone: string;
  code: string;
  address: string;
  requestId: string | null;
}

/**
 * Moves the signed-in resident's account to a new number they prove with a number-change code.
 * In one transaction: the account moves (NumberMove: an empty account on the new number gives it
 * up, one holding something refuses 409 PHONE_TAKEN), every session of the account ends, the
 * answer starts a new one for this device, and the audit log records the change with both
 * numbers masked.
 */
@Injectable()
export class ChangePhone {
  constructor(
    @Inject(OneTimeCodes) private readonly codes: OneTimeCodes,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(NumberMove) private readonly move: NumberMove,
    @Inject(SessionIssuer) private readonly issuer: SessionIssuer,
  ) {}

  async execute(caller: AuthUser, command: ChangePhoneCommand): Promise<SessionView> {
    const phone = requirePhone(command.phone);
    // Before the code is tried, so a resident who typed their own number keeps their code and tries.
    const own = await requireResident(this.db.manager, caller, { newPhone: phone });
    await this.codes.verify({ phone, code: command.code, address: command.address });
    return this.db.transaction(async (manager) => {
      const resident = await this.move.moveToNumber(manager, own.id, phone);
      if (!resident) throw residentNotFound();
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
}
